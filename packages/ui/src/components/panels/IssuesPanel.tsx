import type { WorkflowDocument } from '@stepwise/core/model';
import { type EditorIssue, type IssueLocation, locateIssue } from '../../graph/issues.js';

/** The issues to list and where a click goes. */
export interface IssuesPanelProps {
  issues: readonly EditorIssue[];
  /** The document the issues were found in. */
  validated: WorkflowDocument;
  onLocate: (location: IssueLocation, issue: EditorIssue) => void;
}

function where(location: IssueLocation): string {
  if (location.kind === 'workflow') return location.field.length > 0 ? location.field.join('.') : 'workflow';
  const field = location.field.length > 0 ? ` › ${location.field.join('.')}` : '';
  return `${location.stepId} › ${location.section}${field}`;
}

/** The document's validation issues; each one a button that goes to its step and field. */
export function IssuesPanel({ issues, validated, onLocate }: IssuesPanelProps) {
  if (issues.length === 0) return <p className="sw-panel sw-ok">No issues.</p>;
  return (
    <section className="sw-panel sw-issues" aria-label="Issues">
      <h3>
        {issues.length} issue{issues.length === 1 ? '' : 's'}
      </h3>
      <ul>
        {issues.map((issue, index) => {
          const location = locateIssue(issue, validated);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: issues have no id and may repeat
            <li key={index}>
              <button type="button" onClick={() => onLocate(location, issue)}>
                <span className="sw-issue-where">{where(location)}</span>
                <span className="sw-issue-message">{issue.message}</span>
                <code>{issue.code}</code>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
