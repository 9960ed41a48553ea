const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes for people: "512 B", "1.5 KiB", "20.3 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  let value = n;
  let unit = -1;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${BYTE_UNITS[unit]}`;
}

const grouped = new Intl.NumberFormat('en-US');

/** Counts with thousands separators: "12,345". */
export function formatCount(n: number): string {
  return grouped.format(n);
}
