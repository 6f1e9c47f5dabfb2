import {
  DATABASE_STATUSES,
  RELEASE_STATUSES,
  ReleaseStatus as ReleaseStatusValue,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Link } from '@backstage/core-components';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import Box from '@material-ui/core/Box';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { ReleaseStatus, StatusTone, ToneStatus } from '../ReleaseStatus';
import { formatRelativeTime } from '../ReleasesTable/time';

/** The fields every Autonomous search document carries besides title, text and location. */
type AutonomousDocument = SearchDocument & {
  releaseId?: string;
  databaseId?: string;
  projectKind?: string;
  status?: string;
  environment?: string;
  updatedAt?: string;
  owner?: string;
  running?: string;
};

const useStyles = makeStyles(
  theme => ({
    item: { display: 'flex' },
    content: { flexWrap: 'wrap', width: '100%' },
    text: { width: '100%', wordBreak: 'break-word', marginBottom: '0.5rem' },
    // The search page lays results on the page's grey, where text.secondary falls short of
    // 4.5:1 (4.47 on #f5f5f5); the theme's subtle text colour keeps it.
    subtle: { color: theme.palette.textSubtle },
    facts: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: theme.spacing(2),
      marginBottom: '1rem',
    },
  }),
  { name: 'AutonomousSearchResultListItem' },
);

const DATABASE_TONES: Record<string, StatusTone> = {
  ready: 'ok',
  failed: 'error',
  deleting: 'warning',
};

/**
 * What a document is. The search page hands an item the document alone, not the result's
 * type, so it is read from the fields each type carries.
 */
function kindOf(doc: AutonomousDocument) {
  if (doc.releaseId) return 'Release';
  if (doc.databaseId) return 'Database';
  if (doc.projectKind) return 'Project';
  return undefined;
}

function StatusOf(props: { isDatabase: boolean; status: string }) {
  const { isDatabase, status } = props;
  if (!isDatabase && (RELEASE_STATUSES as readonly string[]).includes(status)) {
    return <ReleaseStatus status={status as ReleaseStatusValue} />;
  }
  const known = (DATABASE_STATUSES as readonly string[]).includes(status);
  return (
    <ToneStatus tone={known ? DATABASE_TONES[status] ?? 'running' : 'warning'}>
      {status}
    </ToneStatus>
  );
}

function Fact(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Typography component="span" variant="body2">
      <Typography component="span" variant="body2" className={classes.subtle}>
        {props.label}:{' '}
      </Typography>
      {props.children}
    </Typography>
  );
}

/** Props of {@link AutonomousSearchResultListItem}. @public */
export interface AutonomousSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
  lineClamp?: number;
}

/**
 * A project, release or database found by portal search: its title linking to the entity
 * page (the release or database open), what it is, and its status, environment and when.
 *
 * @public
 */
export function AutonomousSearchResultListItem(
  props: AutonomousSearchResultListItemProps,
) {
  const classes = useStyles();
  const { highlight } = props;
  const result = props.result as AutonomousDocument | undefined;
  if (!result) return null;
  const kind = kindOf(result);
  const when = result.updatedAt;
  return (
    // Marks the suite's part of the search page, as every Autonomous page does.
    <div className={classes.item} data-autonomous-plugin>
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <div className={classes.content}>
        <ListItemText
          className={classes.text}
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={result.location}>
              {highlight?.fields.title ? (
                <HighlightedSearchResultText
                  text={highlight.fields.title}
                  preTag={highlight.preTag}
                  postTag={highlight.postTag}
                />
              ) : (
                result.title
              )}
            </Link>
          }
          secondary={
            <Typography
              component="span"
              variant="body2"
              className={classes.subtle}
              style={{
                display: '-webkit-box',
                WebkitBoxOrient: 'vertical',
                WebkitLineClamp: props.lineClamp ?? 3,
                overflow: 'hidden',
              }}
            >
              {highlight?.fields.text ? (
                <HighlightedSearchResultText
                  text={highlight.fields.text}
                  preTag={highlight.preTag}
                  postTag={highlight.postTag}
                />
              ) : (
                result.text
              )}
            </Typography>
          }
        />
        <Box className={classes.facts}>
          {kind && (
            <Typography component="span" variant="overline">
              {kind}
            </Typography>
          )}
          {result.status && (
            <Fact label="Status">
              <StatusOf
                isDatabase={kind === 'Database'}
                status={result.status}
              />
            </Fact>
          )}
          {result.environment && (
            <Fact label="Environment">{result.environment}</Fact>
          )}
          {when && (
            <Fact label="When">
              <time dateTime={when} title={new Date(when).toLocaleString()}>
                {formatRelativeTime(when)}
              </time>
            </Fact>
          )}
          {result.owner && <Fact label="Owner">{result.owner}</Fact>}
        </Box>
      </div>
    </div>
  );
}
