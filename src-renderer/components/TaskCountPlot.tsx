import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { formatClock } from '../format/time';
import type { TaskCountColumns } from '../live-tasks/task-count-series';

const HEIGHT = 84;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Time tick spacings: whole seconds at least, as the labels read HH:MM:SS. */
const TIME_INCRS = [1, 2, 5, 10, 15, 30]
  .map((n) => n * SECOND)
  .concat(
    [1, 2, 5, 10, 15, 30].map((n) => n * MINUTE),
    [1, 2, 3, 6, 12, 24, 48, 96].map((n) => n * HOUR),
  );
/** Count tick spacings: whole tasks. */
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000];

interface TaskCountPlotProps {
  columns: TaskCountColumns;
  /** The x range in ms on the events' clock (a replay keeps the whole recording's). */
  from: number;
  to: number;
  /** Reports the time under the pointer, or null when the pointer leaves. */
  onHover: (at: number | null) => void;
}

/** A colour of the theme (the canvas cannot read CSS variables). */
function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function options(
  width: number,
  range: { current: [number, number] },
  onHover: { current: (at: number | null) => void },
): uPlot.Options {
  const muted = themeColor('--muted');
  const grid = themeColor('--border');
  const font = `10px ${themeColor('--font-ui')}`;
  const stepped = uPlot.paths.stepped!({ align: 1 });
  return {
    width,
    height: HEIGHT,
    ms: 1,
    legend: { show: false },
    cursor: { y: false, points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: () => range.current },
      y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
    },
    axes: [
      {
        stroke: muted,
        font,
        size: 20,
        space: 90,
        incrs: TIME_INCRS,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1, size: 3 },
        values: (_u, splits) => splits.map((at) => formatClock(at).slice(0, 8)),
      },
      {
        stroke: muted,
        font,
        size: 34,
        space: 18,
        incrs: COUNT_INCRS,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
      },
    ],
    series: [
      {},
      {
        label: 'running',
        stroke: themeColor('--running'),
        fill: themeColor('--running-bg'),
        width: 1.5,
        paths: stepped,
        points: { show: false },
      },
      {
        label: 'failed, dangling',
        stroke: themeColor('--dangling'),
        width: 1.5,
        paths: stepped,
        points: { show: false },
      },
    ],
    hooks: {
      setCursor: [
        (u) => {
          const left = u.cursor.left;
          onHover.current(left === undefined || left < 0 ? null : u.posToVal(left, 'x'));
        },
      ],
    },
  };
}

/**
 * The running and failed-dangling step lines, drawn by uPlot on a canvas as wide as its box. uPlot
 * styles its elements through the CSSOM only (the CSP forbids inline style attributes and elements).
 */
export function TaskCountPlot({ columns, from, to, onHover }: TaskCountPlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const range = useRef<[number, number]>([from, to]);
  const hover = useRef(onHover);
  range.current = [from, Math.max(to, from + 1)];
  hover.current = onHover;
  const data: uPlot.AlignedData = [columns.at, columns.running, columns.dangling];

  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(el.clientWidth, range, hover), [[], [], []], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return <div className="task-count-plot" ref={box} />;
}
