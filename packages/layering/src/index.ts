export { LayeringError, UnknownPackageError, WorkspaceNotFoundError, WorkspacePatternError } from './errors.js';
export {
  buildImportGraph,
  compiledFrom,
  findCycles,
  formatCycle,
  resolveRelative,
  scanImports,
  type ImportCycle,
  type ImportEdge,
  type ImportGraph,
  type ImportGraphOptions,
  type ImportSite,
} from './importGraph.js';
export { checkLayer, LAYERS, type Layer, type LayerException, type LayerViolation } from './layers.js';
export { findPackage, findWorkspace, listFiles, type Workspace, type WorkspacePackage } from './workspace.js';
