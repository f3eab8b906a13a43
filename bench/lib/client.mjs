// A minimal cognito-idp JSON 1.1 client over raw node:http with a keep-alive agent: one signed POST per
// call, the JSON answer parsed. Only for 127.0.0.1 endpoints.
import http from 'node:http';
import { CONTENT_TYPE, createSigner } from './sigv4.mjs';

export class ApiError extends Error {
  /** @param {number} status @param {string} type @param {string} message */
  constructor(status, type, message) {
    super(`${status} ${type}: ${message}`);
    this.status = status;
    this.type = type;
  }
}

/**
 * @param {{endpoint: string, accessKeyId: string, secretAccessKey: string, region: string, maxSockets?: number, keepAlive?: boolean}} opts
 */
export function createClient(opts) {
  const url = new URL(opts.endpoint);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`refusing non-local endpoint ${opts.endpoint}`);
  const host = url.host;
  const port = Number(url.port || 80);
  const sockets = opts.maxSockets ?? 64;
  const agent = new http.Agent({ keepAlive: opts.keepAlive ?? true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: 'fifo' });
  const sign = createSigner(opts);

  /**
   * @param {string} target operation name, e.g. 'AdminGetUser'
   * @param {unknown} input
   * @returns {Promise<any>}
   */
  function call(target, input) {
    const body = JSON.stringify(input);
    const headers = { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(body), ...sign(host, target, body) };
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port, method: 'POST', path: '/', headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text === '' ? {} : JSON.parse(text);
          } catch {
            reject(new ApiError(res.statusCode ?? 0, 'UnparsableResponse', text.slice(0, 200)));
            return;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(json);
          else {
            const type = String(json.__type ?? res.headers['x-amzn-errortype'] ?? 'Unknown').split('#').pop();
            reject(new ApiError(status, type ?? 'Unknown', String(json.message ?? json.Message ?? text.slice(0, 200))));
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  return { call, endpoint: opts.endpoint, close: () => agent.destroy() };
}
