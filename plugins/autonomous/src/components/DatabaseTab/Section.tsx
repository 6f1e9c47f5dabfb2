import { ReactNode, useId } from 'react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';

/**
 * One part of an instance's view (Connection, Backups, …), named by its heading. The view is
 * a column of these, so a later part (the console) is one more section, not a new layout.
 */
export function Section(props: {
  title: string;
  children: ReactNode;
  /** Beside the heading: the section's own action. */
  action?: ReactNode;
}) {
  const id = useId();
  // On a card: the page's grey background leaves secondary text and field labels too faint.
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby={id}
      style={{ minWidth: 0, padding: 16 }}
    >
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        mb={1}
        style={{ gap: 8 }}
      >
        <Typography variant="h6" component="h3" id={id}>
          {props.title}
        </Typography>
        {props.action}
      </Box>
      {props.children}
    </Paper>
  );
}
