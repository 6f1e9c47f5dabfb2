import { useEffect, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import FileCopyOutlined from '@material-ui/icons/FileCopyOutlined';
import CheckIcon from '@material-ui/icons/Check';

/**
 * Copies a value to the clipboard. Named after what it copies ("Copy host"), and says
 * "Copied" in its name for a moment, so a screen reader hears that it worked.
 */
export function CopyButton(props: {
  /** What is copied, in words: "host", "password of the owner". */
  what: string;
  value: string | (() => string);
}) {
  const [copied, setCopied] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!copied) {
      return undefined;
    }
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  let label = `Copy ${props.what}`;
  if (copied) {
    label = `Copied ${props.what}`;
  } else if (failed) {
    label = `Copy ${props.what} (the browser refused; select the text instead)`;
  }
  return (
    <Tooltip title={label}>
      <IconButton
        size="small"
        aria-label={label}
        onClick={async () => {
          const value =
            typeof props.value === 'function' ? props.value() : props.value;
          try {
            await navigator.clipboard.writeText(value);
            setFailed(false);
            setCopied(true);
          } catch {
            setFailed(true);
          }
        }}
      >
        {copied ? (
          <CheckIcon fontSize="small" />
        ) : (
          <FileCopyOutlined fontSize="small" />
        )}
      </IconButton>
    </Tooltip>
  );
}
