import { readFileSync, writeFileSync } from 'node:fs';
import { withDiagram } from '../workflows/complaint.diagram.js';

// npm run statechart: redraws the complaint workflow diagram in README.md from the machine.
const file = new URL('../README.md', import.meta.url);
writeFileSync(file, withDiagram(readFileSync(file, 'utf8')));
process.stdout.write('README.md: statechart redrawn from workflows/complaint.machine.ts\n');
