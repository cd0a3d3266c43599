/** Public API of the data layer: loading sample data into the columnar table. */
export type { Column, ColumnType, Table } from './table.js';
export type { FieldTypeInfo } from '../semantics/model.js';
export { dataCode, dataCodes } from './codes.js';
export { type FieldSpec, columnTypeOfRef, fieldSpecSchema, fieldSpecsFromDecls, parseFieldSpecs } from './field-spec.js';
export { type ResolvedDataPath, resolveDataPath } from './path.js';
export { MissingTokens, missingTokensOf } from './missing-tokens.js';
export { type DataIssue, type IssuePlacement, type IssueTarget, fieldsByName, issuesToFindings } from './issues.js';
export {
  type DataFormat,
  type LoadOptions,
  type LoadRequest,
  type LoadedDataset,
  type LoadedTable,
  type ParseData,
  type ParsedData,
  formatOfPath,
  loadDataset,
  placeDataIssues,
  loadTableFromBytes,
  parseDataBytes,
  parseDelimitedPieces,
  type ReadPiece,
} from './load.js';
export { BlockParser, type BlockOptions, type BlockResult, type BlockTask, type ParseBlock, parseBlock, readDelimitedBlocks } from './blocks.js';
export {
  type CellValue,
  cellValue,
  columnValueAsString,
  keyIndex,
  lineOfRow,
  rowToRecord,
  rowValue,
} from './accessors.js';
