/** Proxy access-log readers: the public surface of src/capture/logs. */
export type { LogLineResult, LogParser, LogRequest, TimePrecision } from './types.js';
export { LogDecoder, DEFAULT_MAX_LINE_BYTES, type LogDecoderOptions } from './decoder.js';
export { detectLogFormat, KNOWN_LOG_PARSERS, nginxCombinedPrefix } from './detect.js';
export {
  compileNginxFormat, readNginxLogFormat, nginxCombined, nginxMain, NGINX_COMBINED, NGINX_MAIN,
  type NginxEscape, type NginxFormatOptions,
} from './nginx.js';
export { compileApacheFormat, apacheCommon, apacheCombined, APACHE_COMMON, APACHE_COMBINED } from './apache.js';
export { createHaproxyParser, haproxyHttplog, HAPROXY_SYSLOG_LEN, type HaproxyOptions } from './haproxy.js';
export { caddyJson } from './caddy.js';
export { traefikJson } from './traefik.js';
export { squidNative } from './squid.js';
