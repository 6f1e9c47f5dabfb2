import { MetricsBucketFigures } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export interface TrendChartProps {
  /** Names the chart for screen readers: the trend of what. */
  label: string;
  buckets: MetricsBucketFigures[];
  value(bucket: MetricsBucketFigures): number | undefined;
  format(value: number): string;
}

/** A figure per bucket (day or week); an empty bucket is a gap, not a zero. */
export function TrendChart({ label, buckets, value, format }: TrendChartProps) {
  const theme = useTheme();
  const data = buckets.map(bucket => ({
    day: bucket.start.slice(5, 10),
    value: value(bucket) ?? null,
  }));
  return (
    <figure aria-label={`${label} per bucket`} style={{ margin: '8px 0' }}>
      <LineChart width={260} height={100} data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" tick={{ fontSize: 10 }} />
        <YAxis
          tick={{ fontSize: 10 }}
          width={48}
          tickFormatter={(v: number) => format(v)}
        />
        <Tooltip formatter={(v: number) => format(v)} />
        <Line
          type="monotone"
          dataKey="value"
          name={label}
          stroke={theme.palette.primary.main}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      </LineChart>
    </figure>
  );
}
