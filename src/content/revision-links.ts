// Posts published by swapping a symbolic link. git-sync checks each revision out into a
// folder of its own and renames a link (`/git/site -> .worktrees/<hash>`) over to the new
// one; Kubernetes ConfigMap volumes do the same inside the folder (`..data`, which every
// file links through). POSTS_DIR names the link (or a folder in it), so the site must
// follow the link: a watch on the old checkout sees nothing, or only its deletion. The
// links are watched in the folders that hold them, and a revision is named by where the
// folder resolves to and where its `..data` points.
import fs from 'node:fs';
import path from 'node:path';

/** The symbolic links on the way to `dir`, `dir` itself included, outermost first. */
export function linksOnPath(dir: string): string[] {
  const links: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (fs.lstatSync(current).isSymbolicLink()) links.push(current);
    } catch {
      // Missing: the store reports a posts folder it cannot read.
    }
    const parent = path.dirname(current);
    if (parent === current) return links.reverse();
    current = parent;
  }
}

/** The link Kubernetes volumes (ConfigMap, Secret, projected) swap inside the folder. */
export const VOLUME_DATA_LINK = '..data';

/**
 * Which revision `dir` shows: where it resolves to, and where its `..data` link points.
 * Null when it does not resolve (a link being replaced by hand, in two steps).
 */
export async function revisionOf(dir: string): Promise<string | null> {
  let real: string;
  try {
    real = await fs.promises.realpath(dir);
  } catch {
    return null;
  }
  const data = await fs.promises.readlink(path.join(real, VOLUME_DATA_LINK)).catch(() => '');
  return data ? `${real}\n${data}` : real;
}

export interface LinkWatcher {
  close(): void;
}

/** Calls `onChange` when any of `links` may have been replaced (by an event in its folder). */
export function watchLinks(links: readonly string[], onChange: () => void, onError: (err: unknown, folder: string) => void): LinkWatcher {
  const byFolder = new Map<string, Set<string>>();
  for (const link of links) {
    const folder = path.dirname(link);
    const names = byFolder.get(folder) ?? new Set<string>();
    names.add(path.basename(link));
    byFolder.set(folder, names);
  }
  const watchers: fs.FSWatcher[] = [];
  for (const [folder, names] of byFolder) {
    try {
      const watcher = fs.watch(folder, (_event, name) => {
        // Linux names the entry; without a name, any change in the folder may be the swap.
        /* c8 ignore next */
        if (name === null || names.has(name)) onChange();
      });
      /* c8 ignore next: OS-level failures cannot be provoked in tests */
      watcher.on('error', (err) => onError(err, folder));
      watchers.push(watcher);
      /* c8 ignore next 3: a folder that vanished since linksOnPath looked */
    } catch (err) {
      onError(err, folder);
    }
  }
  return {
    close() {
      for (const watcher of watchers) watcher.close();
    },
  };
}
