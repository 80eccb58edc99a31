// Every module in src/controls/, by file name: build.mjs makes this module when it bundles.
declare module "guessfirst:controls" {
  const controls: Record<string, import("./types").ControlKind>;
  export default controls;
}
