import type { AnyStateNode } from 'xstate';
import { complaintMachine } from './complaint.machine.js';

/**
 * A Mermaid state diagram of the complaint machine, read from the machine itself, so the README's
 * picture cannot drift from the code. Transitions without a target (they change only the context,
 * such as TOLL or WITHDRAW during investigation) are left out.
 */
export function complaintStatechart(): string {
  const lines = ['stateDiagram-v2'];
  const crossing: string[] = [];
  // Edges between siblings are drawn inside their parent's block; the others at the top level.
  const visit = (node: AnyStateNode, indent: string) => {
    const initial = node.initial?.target?.[0] as AnyStateNode | undefined;
    if (initial) lines.push(`${indent}[*] --> ${initial.key}`);
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      if (Object.keys(child.states).length > 0) {
        lines.push(`${indent}state ${child.key} {`);
        visit(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else if (node.parent) {
        lines.push(`${indent}${child.key}`);
      }
      for (const [eventType, transitions] of child.transitions) {
        for (const transition of transitions) {
          for (const target of (transition.target ?? []) as AnyStateNode[]) {
            const edge = `${child.key} --> ${target.key} : ${eventType}`;
            if (target.parent === node && node.parent) lines.push(`${indent}${edge}`);
            else crossing.push(`  ${edge}`);
          }
        }
      }
    }
  };
  visit(complaintMachine.root, '  ');
  return [...lines, ...crossing].join('\n');
}

export const DIAGRAM_START = '<!-- statechart:start (npm run statechart) -->';
export const DIAGRAM_END = '<!-- statechart:end -->';

/** The README with its diagram block replaced by the current one. */
export function withDiagram(readme: string): string {
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) throw new Error('README has no statechart block');
  const block = `${DIAGRAM_START}\n\n\`\`\`mermaid\n${complaintStatechart()}\n\`\`\`\n\n`;
  return readme.slice(0, start) + block + readme.slice(end);
}
