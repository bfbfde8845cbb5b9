/**
 * RPC requests as the monitor_bridge integration publishes them (docs/rpc.md): signed with
 * the installation's secret by the same pure helper the demo uses (addon/src/mqtt/rpc-sign.ts).
 * Tests configure `rpc: { secret: TEST_RPC_SECRET }`.
 */
import { signRequest } from '../../addon/src/mqtt/rpc-sign.js';

export const TEST_RPC_SECRET = 'test-rpc-secret-0123456789abcdef';

let counter = 0;

export function rpcRequest(
  method: string,
  params: Record<string, unknown>,
  id = `t${++counter}`,
  secret = TEST_RPC_SECRET,
): string {
  return signRequest(secret, { id, method, params });
}
