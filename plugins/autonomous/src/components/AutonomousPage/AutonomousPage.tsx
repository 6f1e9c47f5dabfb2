import { makeStyles } from '@material-ui/core/styles';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../errorMessage';
import { useListings } from '../../hooks/useListings';
import { useEntityLinks } from '../../hooks/useReleaseLink';
import { DeliveryMetricsCard } from '../DeliveryMetricsCard';
import {
  choices,
  databaseRow,
  ListingFilters,
  ListingRow,
  matches,
  projectRow,
} from './listingRows';
import { useOwnTeams } from './useOwnTeams';

const KIND_TITLES: Record<ListingRow['kind'], string> = {
  monolith: 'Monolith',
  microservice: 'Microservice',
  database: 'Database',
};

// The page lies on the theme's grey, where text.secondary falls short of 4.5:1; the theme's
// subtle text colour keeps it.
const useLabelStyles = makeStyles(theme => ({
  label: { color: theme.palette.textSubtle },
}));

function Filter(props: {
  id: string;
  label: string;
  value?: string;
  options: string[];
  title?(value: string): string;
  onChange(value: string | undefined): void;
}) {
  return (
    <FormControl style={{ minWidth: 160 }}>
      <InputLabel htmlFor={props.id} shrink className={useLabelStyles().label}>
        {props.label}
      </InputLabel>
      <NativeSelect
        id={props.id}
        value={props.value ?? ''}
        onChange={e => props.onChange(e.target.value || undefined)}
      >
        <option value="">any</option>
        {props.options.map(option => (
          <option key={option} value={option}>
            {props.title ? props.title(option) : option}
          </option>
        ))}
      </NativeSelect>
    </FormControl>
  );
}

/**
 * Every project and database the user may read, with where each runs and how its last release
 * went, filtered by owner, kind, status and environment; and the chosen owner's delivery
 * metrics, or until one is chosen those of the user's own teams.
 */
export function AutonomousPage() {
  const listings = useListings();
  const { entityLink, releaseLink } = useEntityLinks();
  const [filters, setFilters] = useState<ListingFilters>({});
  const rows = useMemo(
    () =>
      listings.value
        ? [
            ...listings.value.projects.items.map(projectRow),
            ...listings.value.databases.items.map(databaseRow),
          ]
        : [],
    [listings.value],
  );
  const shown = rows.filter(row => matches(row, filters));
  const owners = choices(rows, r => [r.owner]);
  const ownTeams = useOwnTeams(owners);
  // The chosen owner's metrics; before one is chosen, those of the user's own teams.
  const metricsOwners = filters.owner ? [filters.owner] : ownTeams;
  const set = (key: keyof ListingFilters) => (value?: string) =>
    setFilters(previous => ({ ...previous, [key]: value }));

  const columns: TableColumn<ListingRow>[] = [
    {
      title: 'Name',
      field: 'name',
      render: row => <Link to={entityLink(row.entityRef)}>{row.name}</Link>,
    },
    { title: 'Kind', field: 'kind', render: row => KIND_TITLES[row.kind] },
    { title: 'Owner', field: 'owner' },
    {
      title: 'What runs where',
      field: 'running',
      render: row => (
        <>
          {row.running.map(line => (
            <div key={line}>{line}</div>
          ))}
        </>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: row =>
        row.lastReleaseId ? (
          <Link
            to={releaseLink({
              entityRef: row.entityRef,
              id: row.lastReleaseId,
            })}
          >
            {row.status}
          </Link>
        ) : (
          row.status ?? 'no release yet'
        ),
    },
  ];

  return (
    <Page themeId="tool">
      <Header
        title="Autonomous"
        subtitle="Your projects and databases, and how they deliver"
      />
      <Content>
        {/* Marks the plugin's own DOM, where the browser tests run their accessibility checks. */}
        <div data-autonomous-plugin="">
          <ContentHeader title="Projects and databases" />
          {listings.error && (
            <WarningPanel
              title="Could not load the projects and databases"
              message={errorMessage(listings.error)}
            />
          )}
          {listings.loading && !listings.value && <Progress />}
          {listings.value && (
            <>
              <Box
                component="section"
                aria-label="Filters"
                display="flex"
                flexWrap="wrap"
                style={{ gap: 16 }}
                marginBottom={2}
              >
                <Filter
                  id="filter-owner"
                  label="Owner"
                  value={filters.owner}
                  options={owners}
                  onChange={set('owner')}
                />
                <Filter
                  id="filter-kind"
                  label="Kind"
                  value={filters.kind}
                  options={choices(rows, r => [r.kind])}
                  title={k => KIND_TITLES[k as ListingRow['kind']] ?? k}
                  onChange={set('kind')}
                />
                <Filter
                  id="filter-status"
                  label="Status"
                  value={filters.status}
                  options={choices(rows, r => [r.status])}
                  onChange={set('status')}
                />
                <Filter
                  id="filter-environment"
                  label="Environment"
                  value={filters.environment}
                  options={choices(rows, r => r.environments)}
                  onChange={set('environment')}
                />
              </Box>
              {(listings.value.projects.truncated ||
                listings.value.databases.truncated) && (
                <Typography variant="body2" paragraph>
                  Only the first items are listed: filter in the catalog to find
                  the rest.
                </Typography>
              )}
              <Table<ListingRow>
                title={`${shown.length} of ${rows.length}`}
                columns={columns}
                data={shown}
                // Without column sorting: material-table puts its sort buttons inside the
                // header cells, which axe reports as nested interactive controls.
                options={{
                  paging: true,
                  pageSize: 20,
                  search: false,
                  sorting: false,
                }}
              />
              <Box marginTop={3}>
                {metricsOwners.length ? (
                  metricsOwners.map(owner => (
                    <Box key={owner} marginBottom={3}>
                      <DeliveryMetricsCard
                        title={`Delivery metrics of ${owner}${
                          filters.owner ? '' : ' (your team)'
                        }`}
                        scope={{ owner, environment: filters.environment }}
                        releaseLink={releaseLink}
                      />
                    </Box>
                  ))
                ) : (
                  <Typography variant="body2">
                    Choose an owner to see the team's delivery metrics.
                  </Typography>
                )}
              </Box>
            </>
          )}
        </div>
      </Content>
    </Page>
  );
}
