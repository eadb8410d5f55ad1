/**
 * The colour library instance Ink itself imported (chalk, resolved from Ink's own location, so a
 * different copy elsewhere in node_modules cannot be picked by mistake). Its level is global state,
 * read at every colour call, which is why setting it fixes the colours of every frame.
 *
 * The bundled CLI (scripts/bundle.mjs) replaces this module with a static import of the chalk that the
 * bundled Ink imports: the same instance inside the bundle.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export type ChalkLike = { level: number };

let loaded: Promise<ChalkLike> | undefined;

export function inkChalk(): Promise<ChalkLike> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const chalkPath = createRequire(require.resolve('ink')).resolve('chalk');
    const module = (await import(pathToFileURL(chalkPath).href)) as { default: ChalkLike };
    return module.default;
  })();
  return loaded;
}
