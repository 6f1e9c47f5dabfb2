import { DatabaseEngine } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useMemo, useRef } from 'react';
import CodeMirror, {
  EditorView,
  Extension,
  keymap,
  Prec,
} from '@uiw/react-codemirror';
import {
  Cassandra,
  MariaSQL,
  MSSQL,
  MySQL,
  PLSQL,
  PostgreSQL,
  sql,
  SQLDialect,
} from '@codemirror/lang-sql';
import {
  HighlightStyle,
  StreamLanguage,
  syntaxHighlighting,
} from '@codemirror/language';
import { javascript } from '@codemirror/legacy-modes/mode/javascript';
import { tags } from '@lezer/highlight';
import { useTheme } from '@material-ui/core/styles';

/*
 * CodeMirror's default highlight colours fall below the 4.5:1 contrast text needs (its type
 * names, for one); these hold it on the page's light and dark cards.
 */
const HIGHLIGHT_COLOURS = {
  light: {
    keyword: '#6f1f9e',
    string: '#a11b1b',
    number: '#0c5b2e',
    type: '#005a70',
  },
  dark: {
    keyword: '#d7a6ff',
    string: '#ffaaaa',
    number: '#8fe3a8',
    type: '#8adcf2',
  },
};

function highlightStyle(dark: boolean, comment: string) {
  const colours = HIGHLIGHT_COLOURS[dark ? 'dark' : 'light'];
  return HighlightStyle.define([
    { tag: [tags.keyword, tags.operatorKeyword], color: colours.keyword },
    { tag: [tags.string, tags.special(tags.string)], color: colours.string },
    { tag: [tags.number, tags.bool, tags.null], color: colours.number },
    { tag: [tags.typeName, tags.standard(tags.name)], color: colours.type },
    { tag: tags.comment, color: comment, fontStyle: 'italic' },
  ]);
}

/**
 * The SQL dialect the editor highlights and completes for each engine; Cassandra's CQL is
 * closest to lang-sql's Cassandra dialect. MongoDB statements (a JSON command document or
 * `db.orders.find({…})`) are highlighted as JavaScript; Redis commands are plain text.
 */
const DIALECTS: Partial<Record<DatabaseEngine, SQLDialect>> = {
  postgresql: PostgreSQL,
  mysql: MySQL,
  mssql: MSSQL,
  oracle: PLSQL,
  cassandra: Cassandra,
};

/** The dialect for an engine (MariaDB instances report themselves as `mysql`). */
export function dialectOf(
  engine: DatabaseEngine,
  version?: string,
): SQLDialect | undefined {
  if (engine === 'mysql' && version && /mariadb/i.test(version)) {
    return MariaSQL;
  }
  return DIALECTS[engine];
}

/**
 * MongoDB's mode: JavaScript covers both the shell calls and their JSON arguments. The mode's
 * `property` tokens are named for the highlighter (it warns of an unknown tag otherwise).
 */
const MONGODB = StreamLanguage.define({
  ...javascript,
  tokenTable: { property: tags.propertyName },
});

/** The editor's language for an engine: its SQL dialect, MongoDB's mode, or none. */
export function languageOf(
  engine: DatabaseEngine,
  version?: string,
): Extension | undefined {
  if (engine === 'mongodb') return MONGODB;
  const dialect = dialectOf(engine, version);
  return dialect ? sql({ dialect }) : undefined;
}

export interface StatementEditorProps {
  engine: DatabaseEngine;
  version?: string;
  value: string;
  onChange(value: string): void;
  /** Ctrl+Enter (⌘+Enter on a Mac). */
  onRun(): void;
  /** The id of the visible label that names the editor. */
  labelId: string;
  /** The id of the text that says how to run. */
  hintId: string;
}

/**
 * The statement editor: CodeMirror with the engine's SQL dialect (MongoDB: its own mode). Tab moves focus on as
 * everywhere else on the page (indenting is Ctrl+] here), so keyboard users are not caught.
 */
export function StatementEditor(props: StatementEditorProps) {
  const { engine, version, labelId, hintId } = props;
  const theme = useTheme();
  const onRun = useRef(props.onRun);
  onRun.current = props.onRun;
  const dark = theme.palette.type === 'dark';

  const extensions = useMemo<Extension[]>(() => {
    const language = languageOf(engine, version);
    const run = () => {
      onRun.current();
      return true;
    };
    return [
      Prec.highest(
        keymap.of([
          { key: 'Mod-Enter', run },
          { key: 'Ctrl-Enter', run },
        ]),
      ),
      EditorView.contentAttributes.of({
        'aria-labelledby': labelId,
        'aria-describedby': hintId,
        'aria-multiline': 'true',
        role: 'textbox',
      }),
      EditorView.lineWrapping,
      // CodeMirror's own greys are too faint to read as text.
      EditorView.theme({
        '.cm-placeholder': { color: theme.palette.text.secondary },
        '&.cm-focused': {
          outline: `2px solid ${theme.palette.primary.main}`,
        },
      }),
      syntaxHighlighting(highlightStyle(dark, theme.palette.text.secondary)),
      ...(language ? [language] : []),
    ];
  }, [engine, version, labelId, hintId, theme, dark]);

  return (
    <CodeMirror
      value={props.value}
      onChange={props.onChange}
      extensions={extensions}
      theme={dark ? 'dark' : 'light'}
      indentWithTab={false}
      minHeight="120px"
      maxHeight="320px"
      // No gutter and no completion pop-up: one-statement editing needs neither, CodeMirror's
      // light grey line numbers are fainter than text should be, and a pop-up covers the page.
      basicSetup={{
        lineNumbers: false,
        foldGutter: false,
        highlightActiveLineGutter: false,
        autocompletion: false,
        // The highlight style above replaces CodeMirror's own.
        syntaxHighlighting: false,
      }}
    />
  );
}
