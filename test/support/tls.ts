/**
 * A throw-away TLS certificate for tests (a self-signed P-256 certificate for
 * localhost / 127.0.0.1, valid for a day), made with the system's openssl.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  cert: string;
  key: string;
  /** SHA-256 fingerprint as Node prints it (AB:CD:…). */
  fingerprint: string;
}

export function makeTestCertificate(commonName = 'localhost'): TestCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'giftdesk-tls-'));
  try {
    const certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-subj', `/CN=${commonName}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-days', '1', '-keyout', keyFile, '-out', certFile,
    ], { stdio: 'ignore' });
    const cert = readFileSync(certFile, 'utf8');
    return { cert, key: readFileSync(keyFile, 'utf8'), fingerprint: new X509Certificate(cert).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
