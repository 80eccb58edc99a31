// Bundle the card's modules (src/) into the one script the widget loads: dist/widget.js.
//
// The answer controls are found, not listed: every module in src/controls/ is bundled,
// under its file name, as the module "guessfirst:controls", and the trait `control`
// names one. A new control is a new file there, with no edit anywhere else.
//
//   node build.mjs            build dist/widget.js
//   bundle({ src, outfile })  the same from another source folder (the tests use it)

import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const HERE = fileURLToPath(new URL(".", import.meta.url));

const BANNER = "// Built from js/src by `npm run build`: edit the sources, never this file.";

/**
 * The module "guessfirst:controls": each file in `folder`, by its name without ".js".
 * @param {string} folder
 * @returns {import("esbuild").Plugin}
 */
function controlsPlugin(folder) {
  return {
    name: "guessfirst-controls",
    setup(built) {
      built.onResolve({ filter: /^guessfirst:controls$/ }, () => ({
        path: "controls",
        namespace: "guessfirst",
      }));
      built.onLoad({ filter: /.*/, namespace: "guessfirst" }, () => {
        const files = readdirSync(folder).filter((name) => name.endsWith(".js")).sort();
        const names = files.map((file) => basename(file, ".js"));
        const imports = names.map((name, i) => `import c${i} from ${JSON.stringify(`./${name}.js`)};`);
        const table = names.map((name, i) => `${JSON.stringify(name)}: c${i}`).join(", ");
        const contents = `${imports.join("\n")}\nexport default { ${table} };\n`;
        return { contents, resolveDir: folder, loader: "js", watchDirs: [folder] };
      });
    },
  };
}

/**
 * @param {{ src?: string, outfile?: string }} [where]
 */
export async function bundle({ src = join(HERE, "src"), outfile = join(HERE, "dist", "widget.js") } = {}) {
  await build({
    entryPoints: [join(src, "card.js")],
    outfile,
    bundle: true,
    format: "esm",
    target: "es2022",
    charset: "utf8",
    legalComments: "none",
    banner: { js: BANNER },
    plugins: [controlsPlugin(join(src, "controls"))],
    absWorkingDir: HERE,
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
