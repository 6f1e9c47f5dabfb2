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
import { useTheme } from '@material-ui/core/styles';

/**
 * The SQL dialect the editor highlights and completes for each engine; Cassandra's CQL is
 * closest to lang-sql's Cassandra dialect. Redis commands and MongoDB documents are
 * edited as plain text: no SQL grammar fits them.
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
 * The statement editor: CodeMirror with the engine's SQL dialect. Tab moves focus on as
 * everywhere else on the page (indenting is Ctrl+] here), so keyboard users are not caught.
 */
export function StatementEditor(props: StatementEditorProps) {
  const { engine, version, labelId, hintId } = props;
  const theme = useTheme();
  const onRun = useRef(props.onRun);
  onRun.current = props.onRun;
  const dark = theme.palette.type === 'dark';

  const extensions = useMemo<Extension[]>(() => {
    const dialect = dialectOf(engine, version);
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
      ...(dialect ? [sql({ dialect })] : []),
    ];
  }, [engine, version, labelId, hintId, theme]);

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
      }}
    />
  );
}
