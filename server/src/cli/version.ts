import packageJson from '../../../package.json';

/** The package version, shown by `--version` and written into SARIF and reports. */
export const VERSION_FOR_REPORTS: string = packageJson.version;
