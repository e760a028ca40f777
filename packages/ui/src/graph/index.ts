// the catalog, indexed by slug with each step type's input ports
export { type CatalogIndex, type InputPort, indexCatalog, takesInput } from './catalog.js';
// the copy and paste of steps, as workflow documents
export { copySteps, type Paste, preparePaste, readClipboard } from './clipboard.js';
// the connection rule (core's data type rule, plus no cycles)
export { type Connection, type ConnectionCheck, checkConnection } from './connection.js';
// the document as nodes and edges
export {
  type DocumentGraph,
  edgeId,
  graphOf,
  inputsOf,
  type StepEdgeModel,
  type StepNodeModel,
} from './document-graph.js';
// which connection a drop point is on
export { edgeAt, edgePoints } from './edge-hit.js';
// the editor's state: history and selection, and the actions that change it
export {
  appendStep,
  copySelection,
  duplicateSelection,
  type EditorAction,
  type EditorState,
  openDocument,
  pasteText,
  reduceEditor,
} from './editor-state.js';
// edits as data, applied by a pure function
export { applyEdit, type Edit } from './edits.js';
// undo and redo
export { HISTORY_LIMIT, type History, record, redo, startHistory, undo } from './history.js';
// validation issues located at a step and a field
export {
  configErrors,
  type EditorIssue,
  type FieldErrors,
  type IssueLocation,
  type IssuePath,
  issuesByStep,
  locateIssue,
  type StepSection,
} from './issues.js';
// positions: saved in `ui.positions`, or laid out
export { autoLayout, NODE_WIDTH, nodeSize, portY, positionsOf } from './layout.js';
export { savedPositions, withPositions, type XY } from './positions.js';
// step ids
export { freeId, renameProblem, stepIds } from './step-ids.js';
