import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { complaintStatechart, withDiagram } from '../../workflows/complaint.diagram.js';
import { EVENT_TYPES } from '../../workflows/complaint.permissions.js';

describe('workflow diagram in the README', () => {
  it('is the one the machine draws now (run npm run statechart after changing the machine)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withDiagram(readme) === readme, 'README.md statechart is stale: run npm run statechart').to.equal(true);
  });

  it('shows every stage and every event that changes state', () => {
    const diagram = complaintStatechart();
    for (const stage of ['intake', 'mediation', 'investigation', 'boardReview', 'disposition', 'closed']) {
      expect(diagram).to.contain(stage);
    }
    const contextOnly = new Set([
      'TOLL',
      'RESUME',
      'WITHDRAW',
      'CONTINUE_AFTER_WITHDRAWAL',
      'ADD_INFORMATION',
      'UPDATE_CONTACT',
      'ASSIGN',
    ]);
    for (const type of EVENT_TYPES.filter((t) => !contextOnly.has(t))) expect(diagram, type).to.contain(`: ${type}`);
  });
});
