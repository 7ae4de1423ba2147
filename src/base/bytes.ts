/**
 * The one size formatter: binary units (KiB, MiB, GiB) everywhere a size is shown, so a file is
 * never "409 MB" in one line and "390.2 MiB" in the next. Here, below every layer, so the
 * model builder's progress lines use it too.
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
