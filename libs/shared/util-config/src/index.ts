export { loadConfig, ConfigError } from './lib/load-config';
export { envInt, envNumber, envBool, envList } from './lib/env-helpers';
