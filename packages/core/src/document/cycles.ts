/**
 * The cycles of a directed graph given as adjacency lists (`edges[i]` = the nodes `i` points at):
 * every strongly connected component of more than one node, each sorted ascending. Self loops are
 * not reported. Iterative Tarjan, so a 50,000-node chain costs no stack.
 */
export function findCycles(edges: readonly (readonly number[])[]): number[][] {
  const n = edges.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (node: number, frames: [number, number][]) => {
    order[node] = counter;
    low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
    frames.push([node, 0]);
  };
  for (let start = 0; start < n; start++) {
    if (order[start] !== -1) continue;
    const frames: [number, number][] = [];
    visit(start, frames);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as [number, number];
      const [node, next] = frame;
      const out = edges[node] ?? [];
      if (next < out.length) {
        frame[1] = next + 1;
        const target = out[next] as number;
        if (target < 0 || target >= n || target === node) continue;
        if (order[target] === -1) visit(target, frames);
        else if (onStack[target]) low[node] = Math.min(low[node] as number, order[target] as number);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[node] as number);
      if (low[node] === order[node]) components.push(popComponent(stack, onStack, node));
    }
  }
  return components.filter((component) => component.length > 1).map((component) => component.sort((a, b) => a - b));
}

function popComponent(stack: number[], onStack: Uint8Array, root: number): number[] {
  const component: number[] = [];
  for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
    onStack[member] = 0;
    component.push(member);
    if (member === root) break;
  }
  return component;
}
