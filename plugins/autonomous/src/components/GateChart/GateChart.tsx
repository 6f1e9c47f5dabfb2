import { HealthGateSample } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export interface GateChartProps {
  /** Names the chart for screen readers: the gate's name. */
  label: string;
  samples: HealthGateSample[];
  /** The value the condition compares with, drawn as a line. */
  threshold: number;
  /** When the gate's window started: the x axis counts seconds from there. */
  startedAt: string;
  width?: number;
}

const formatValue = (v: number) =>
  Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.001)
    ? v.toExponential(2)
    : String(Number(v.toPrecision(4)));

/**
 * A gate's observed values over its window, with its threshold. A sample without a value
 * (Prometheus unreachable, no series) is a gap, not a zero.
 */
export function GateChart({
  label,
  samples,
  threshold,
  startedAt,
  width = 420,
}: GateChartProps) {
  const theme = useTheme();
  const start = Date.parse(startedAt);
  const data = samples.map(sample => ({
    second: Math.round((Date.parse(sample.at) - start) / 100) / 10,
    value: sample.value ?? null,
  }));
  return (
    <figure
      aria-label={`Values of ${label} over its window`}
      style={{ margin: '8px 0' }}
    >
      <LineChart width={width} height={140} data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="second"
          type="number"
          domain={[0, 'dataMax']}
          tick={{ fontSize: 10 }}
          tickFormatter={(s: number) => `${s} s`}
        />
        <YAxis tick={{ fontSize: 10 }} width={56} tickFormatter={formatValue} />
        <Tooltip
          formatter={(v: number) => formatValue(v)}
          labelFormatter={(s: number) => `${s} s into the window`}
        />
        <ReferenceLine
          y={threshold}
          stroke={theme.palette.error.main}
          strokeDasharray="4 4"
          ifOverflow="extendDomain"
        />
        <Line
          type="monotone"
          dataKey="value"
          name={label}
          stroke={theme.palette.primary.main}
          dot={{ r: 2 }}
          isAnimationActive={false}
          connectNulls={false}
        />
      </LineChart>
    </figure>
  );
}
