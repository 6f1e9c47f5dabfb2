import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Box from '@material-ui/core/Box';
import { databaseStatusWord, engineTitle } from '../DatabaseCommon';
import { ToneStatus } from '../ReleaseStatus';
import { Timestamp } from '../Timestamp';

/**
 * Every instance this resource has had, newest first: deleted ones stay, because their
 * backups outlive them and can still be downloaded or restored.
 */
export function InstanceList(props: {
  instances: DatabaseInstance[];
  shownId?: string;
  onShow(id: string): void;
}) {
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Instances">
        <TableHead>
          <TableRow>
            <TableCell>Instance</TableCell>
            <TableCell>Engine</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Created</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.instances.map(instance => {
            const status = databaseStatusWord(instance.status);
            const shown = instance.id === props.shownId;
            return (
              <TableRow key={instance.id} selected={shown}>
                <TableCell>{instance.name}</TableCell>
                <TableCell>
                  {engineTitle(instance.engine)} {instance.version}
                </TableCell>
                <TableCell>
                  <ToneStatus tone={status.tone}>{status.word}</ToneStatus>
                </TableCell>
                <TableCell>
                  <Timestamp at={instance.createdAt} />
                </TableCell>
                <TableCell>
                  {shown ? (
                    'Shown above'
                  ) : (
                    <Button
                      size="small"
                      aria-label={`Show ${instance.name} (${
                        status.word
                      }, created ${instance.createdAt.slice(0, 10)})`}
                      onClick={() => props.onShow(instance.id)}
                    >
                      Show
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
