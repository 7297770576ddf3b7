// Notices changes in the posts folder: one fs.watch (inotify) per folder, not per file.
// chokidar and Node's recursive mode both put a watch on every file: for 10,000 posts
// that is 10,001 inotify watches and about a second more at startup, and at larger
// sizes it meets the system's watch limit. Events here are only hints: the content
// store compares the folder with what it knows on every batch, so an event that the
// kernel drops or merges loses nothing.
import fs from 'node:fs';
import path from 'node:path';
import { VOLUME_DATA_LINK } from './revision-links.js';

export interface PostsWatcher {
  close(): void;
}

/**
 * `onChange(rel)`: something at `rel` (a file or folder, `/`-separated) may have changed.
 * `onVolumeSwap()`: the `..data` link at the top was replaced (revision-links.ts).
 */
export function watchPosts(
  root: string,
  onChange: (rel: string) => void,
  onError: (err: unknown, folder: string) => void,
  onVolumeSwap?: () => void,
): PostsWatcher {
  const watchers = new Map<string, fs.FSWatcher>();

  /** Watches `rel` and the folders below it, unless it is not (or no longer) a folder. */
  const watchFolder = (rel: string): void => {
    if (watchers.has(rel)) return;
    const abs = path.join(root, rel);
    let watcher: fs.FSWatcher;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
      watcher = fs.watch(abs, (_event, name) => onEvent(rel, name));
    } catch {
      return; // a file, or gone already
    }
    // OS-level failures (a watch limit reached) cannot be provoked in tests.
    /* c8 ignore next 5 */
    watcher.on('error', (err) => {
      watcher.close();
      watchers.delete(rel);
      onError(err, rel);
    });
    watchers.set(rel, watcher);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) watchFolder(rel ? `${rel}/${entry.name}` : entry.name);
    }
  };

  const onEvent = (folder: string, name: string | null) => {
    // Linux always names the entry; without a name, the folder as a whole is the hint.
    /* c8 ignore next */
    const entry = name ?? '';
    if (entry.startsWith('.')) {
      // Hidden files and folders are never posts; a Kubernetes volume's new revision is.
      if (folder === '' && entry === VOLUME_DATA_LINK) onVolumeSwap?.();
      return;
    }
    const rel = [folder, entry].filter(Boolean).join('/');
    if (fs.existsSync(path.join(root, rel))) {
      watchFolder(rel); // a folder created or moved in is watched from now on
    } else {
      // Removed or moved away: if it was a folder, stop watching it and all below.
      for (const [watched, watcher] of watchers) {
        if (watched === rel || watched.startsWith(`${rel}/`)) {
          watcher.close();
          watchers.delete(watched);
        }
      }
    }
    onChange(rel);
  };

  watchFolder('');
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/**
 * Notices changes to a few named files in one folder and its `_data` subfolder (the
 * site data files in the posts folder's parent): two watches, not a recursive one, since
 * the parent may hold anything. `onChange(rel)` for each event, with `rel` relative to
 * `root` (`_config.yml`, `_data/authors.yml`, `_data`).
 */
export function watchDataFolder(
  root: string,
  onChange: (rel: string) => void,
  onError: (err: unknown, folder: string) => void,
): PostsWatcher {
  const watchers = new Map<string, fs.FSWatcher>();
  const watch = (rel: string) => {
    if (watchers.has(rel)) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(path.join(root, rel), (_event, name) => {
        // Linux always names the entry; without a name, the folder as a whole is the hint.
        /* c8 ignore next */
        const entry = [rel, name ?? ''].filter(Boolean).join('/');
        if (entry === '_data') watch('_data'); // created after the start
        onChange(entry);
      });
    } catch {
      return; // not there (yet)
    }
    /* c8 ignore next 5: OS-level failures cannot be provoked in tests */
    watcher.on('error', (err) => {
      watcher.close();
      watchers.delete(rel);
      onError(err, path.join(root, rel));
    });
    watchers.set(rel, watcher);
  };
  watch('');
  watch('_data');
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
