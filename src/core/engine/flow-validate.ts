import type { TextCatalogue } from '../content.js';
import type { FlowDefinition, FlowTarget } from './flow-schema.js';

export interface FlowCheckInput {
  file: string;
  flow: FlowDefinition;
}

/**
 * Cross-reference checks the schema cannot do: every goto names a node, every action exists,
 * every content key exists in both languages, and every node can be reached. Returns one message
 * per problem, naming the file and the node.
 */
export function validateFlows(
  flows: FlowCheckInput[],
  actions: ReadonlySet<string>,
  /** Nodes an action may move to by itself (check_offer -> offer_result): they count as reachable. */
  actionNodes: Readonly<Record<string, readonly string[]>>,
  texts: TextCatalogue,
): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const { file, flow } of flows) {
    const where = (node?: string) => (node ? `${file}: node "${node}"` : `${file}`);
    if (ids.has(flow.id)) problems.push(`${where()}: flow id "${flow.id}" is used twice`);
    ids.add(flow.id);
    if (!(flow.start in flow.nodes)) problems.push(`${where()}: start node "${flow.start}" does not exist`);

    const checkTarget = (target: FlowTarget, place: string) => {
      if (target.goto && !(target.goto in flow.nodes))
        problems.push(`${place}: goes to missing node "${target.goto}"`);
      if (target.action && !actions.has(target.action))
        problems.push(`${place}: names unknown action "${target.action}"`);
    };
    const checkKey = (key: string, place: string) => {
      if (!texts.has(key)) problems.push(`${place}: content key "${key}" is missing in vi or en`);
    };

    for (const [name, target] of Object.entries(flow.commands))
      checkTarget(target, `${where()}: command "${name}"`);
    for (const [nodeId, node] of Object.entries(flow.nodes)) {
      const place = where(nodeId);
      checkKey(node.message, place);
      if (node.on_enter && !actions.has(node.on_enter))
        problems.push(`${place}: on_enter names unknown action "${node.on_enter}"`);
      if (node.text) checkTarget(node.text, `${place} (text)`);
      node.buttons.forEach((button, index) => {
        checkKey(button.label, `${place} button ${index + 1}`);
        checkTarget(button, `${place} button ${index + 1}`);
      });
    }

    for (const [action, nodes] of Object.entries(actionNodes)) {
      for (const node of nodes) {
        if (actions.has(action) && !(node in flow.nodes) && flow.id === 'main') {
          problems.push(`${where()}: action "${action}" moves to node "${node}", which does not exist`);
        }
      }
    }

    for (const unreachable of findUnreachable(flow, actionNodes)) {
      problems.push(`${where(unreachable)}: cannot be reached from the start, a command or a button`);
    }
  }
  return problems;
}

function findUnreachable(
  flow: FlowDefinition,
  actionNodes: Readonly<Record<string, readonly string[]>>,
): string[] {
  const seen = new Set<string>();
  const queue: string[] = [flow.start];
  const follow = (target: FlowTarget | undefined) => {
    if (!target) return;
    if (target.goto) queue.push(target.goto);
    if (target.action) queue.push(...(actionNodes[target.action] ?? []));
  };
  for (const target of Object.values(flow.commands)) follow(target);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    const node = flow.nodes[id];
    if (!node) continue;
    seen.add(id);
    follow(node.text);
    if (node.on_enter) follow({ action: node.on_enter });
    for (const button of node.buttons) follow(button);
  }
  return Object.keys(flow.nodes).filter((id) => !seen.has(id));
}
