/**
 * An in-memory HTTP server for Node's own HTTP client: an `http.Agent` whose `createConnection`
 * returns a `Duplex` instead of a TCP socket. The client writes its request into it as it would
 * into a socket; once the request is complete, the duplex answers with a canned
 * `HTTP/1.1 200` head and then the body, one 16 KiB piece per read, so llhttp parses real
 * response bytes and every layer above it (axios's http adapter, rxllm's transport) runs
 * unchanged — with no kernel, no loopback and no other process in the measurement.
 *
 * The body served is chosen by the request's host name: `http://openai.bench/v1` → `bodies.get('openai.bench')`.
 */
import http from 'node:http';
import { Duplex } from 'node:stream';

class StubSocket extends Duplex {
  constructor(body) {
    super({ allowHalfOpen: true });
    this.body = body;
    this.request = [];
    this.requestComplete = false;
    this.next = -1; // -1: the head; then the pieces; then the end
    this.wanted = false;
    // what Node's HTTP client and Agent may touch on a socket
    this.remoteAddress = '127.0.0.1';
    this.remotePort = 80;
    this.connecting = false;
  }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  setTimeout() { return this; }
  ref() { return this; }
  unref() { return this; }

  _write(data, _encoding, done) {
    if (!this.requestComplete) {
      this.request.push(Buffer.from(data));
      if (requestEnded(Buffer.concat(this.request))) {
        this.requestComplete = true;
        this.request = [];
        if (this.wanted) this.serve();
      }
    }
    done();
  }

  _read() {
    this.wanted = true;
    if (this.requestComplete) this.serve();
  }

  serve() {
    this.wanted = false;
    const { pieces } = this.body;
    if (this.next === -1) {
      this.next = 0;
      this.push(this.body.head);
    } else if (this.next < pieces.length) {
      this.push(pieces[this.next++]);
    } else {
      this.push(null);
    }
  }

  _destroy(error, done) {
    done(error);
  }
}

/** true when `bytes` hold a whole HTTP request: the head and a body of its content-length (or its last chunk). */
function requestEnded(bytes) {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const head = bytes.subarray(0, headEnd).toString('latin1').toLowerCase();
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  if (length) return bytes.length - (headEnd + 4) >= Number(length[1]);
  if (/\r\ntransfer-encoding:\s*chunked/.test(head)) return bytes.includes('\r\n0\r\n\r\n', headEnd) || bytes.subarray(headEnd + 4).toString('latin1').startsWith('0\r\n\r\n');
  return true;
}

/**
 * Makes `body` ({ contentType, pieces }) the answer of every request to `host`, and returns it
 * with its response head prepared.
 */
function prepare(body) {
  const length = body.pieces.reduce((n, p) => n + p.length, 0);
  const head = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: ${body.contentType}\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n`, 'latin1');
  return { ...body, head };
}

/**
 * Replaces `http.globalAgent` (which axios's http adapter uses when no agent is configured) with
 * the stub. Returns a function that registers a body for a host, and a restore function.
 */
export function installStubAgent() {
  const bodies = new Map();
  const agent = new http.Agent({ keepAlive: false });
  agent.createConnection = (options) => {
    const body = bodies.get(options.host ?? options.hostname);
    if (!body) throw new Error(`stub agent: no body registered for host ${options.host}`);
    return new StubSocket(body);
  };
  const previous = http.globalAgent;
  http.globalAgent = agent;
  return {
    serve(host, body) {
      bodies.set(host, prepare(body));
    },
    restore() {
      http.globalAgent = previous;
    },
  };
}
