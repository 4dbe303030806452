export { projectConfig as default } from '../../eslint.config.mjs';
