// Fails loudly when npm scripts run on a Node.js older than the pinned node@24
// (for example after `npm ci --ignore-scripts`, which skips the node package's install step).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `llmops needs Node.js 24; this is ${process.versions.node}. ` +
      'Run `npm ci` without --ignore-scripts so the pinned node@24 package installs its binary.',
  );
  process.exit(1);
}
