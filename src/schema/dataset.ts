/** Dataset files (id,label,text; extra columns allowed): one row per item to classify. */
import { csvKind, required, text, type RowOf } from './csv.js';

export const DATASET_CSV = csvKind('dataset (id,label,text)', {
  id: required('id', text, 'item'),
  label: required('label', text, 'item'),
  text: required('text', text, 'item'),
});

export type DatasetItem = RowOf<(typeof DATASET_CSV)['columns']>;
