export { GateChart } from './GateChart';
export type { GateChartProps } from './GateChart';
