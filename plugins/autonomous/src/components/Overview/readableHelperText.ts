import { FormHelperTextProps } from '@material-ui/core/FormHelperText';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  // Material UI greys a disabled field's helper text to `text.disabled` (about 2.3:1 on white),
  // below WCAG's 4.5:1. Here a field is disabled because the user may not change it, and the
  // helper text still tells them what the setting does: it keeps the secondary text colour.
  root: {
    '&.Mui-disabled': { color: theme.palette.text.secondary },
  },
}));

/** `FormHelperTextProps` for a settings field whose explanation must stay readable when locked. */
export function useReadableHelperText(): Partial<FormHelperTextProps> {
  const classes = useStyles();
  return { classes: { root: classes.root } };
}
