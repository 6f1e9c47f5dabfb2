import { ReactNode } from 'react';
import Typography, { TypographyProps } from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';

/**
 * The colour errors are written in: the theme's error colour darkened on light themes
 * (lightened on dark ones), because the plain one is too faint to read as text (3.7:1 on
 * white, against the 4.5:1 text needs).
 */
export function useErrorTextColor(): string {
  const theme = useTheme();
  return theme.palette.type === 'dark'
    ? theme.palette.error.light
    : theme.palette.error.dark;
}

/** A sentence saying what went wrong, announced as it appears. */
export function ErrorText(
  props: {
    children: ReactNode;
    /** Announce it at once (an alert); off for errors that stay on the page. */
    alert?: boolean;
  } & Pick<TypographyProps, 'variant' | 'display' | 'style' | 'id'>,
) {
  const { children, alert = true, style, variant = 'body2', ...rest } = props;
  const color = useErrorTextColor();
  return (
    <Typography
      role={alert ? 'alert' : undefined}
      variant={variant}
      style={{ color, ...style }}
      {...rest}
    >
      {children}
    </Typography>
  );
}
