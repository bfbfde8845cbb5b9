/** An RPC request payload as the monitor_bridge integration publishes it (docs/rpc.md). */
let counter = 0;

export function rpcRequest(method: string, params: Record<string, unknown>, id = `t${++counter}`): string {
  return JSON.stringify({ id, method, params });
}
