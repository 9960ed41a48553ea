// Stacks of task errors are shown to users: map them to the TypeScript sources. Node reads a file's
// source map when it loads the file, so the app (engine included) is loaded only after this is on.
process.setSourceMapsEnabled(true);
void import('./desktop-app');
