/**
 * A repeated part of the registration form (member schools, member units, goals) as the show page
 * reads it: a table on a desktop; below 600 px one card per item, its first column as the card's
 * title and the others as labelled lines, so that a five-column table never scrolls the phone sideways.
 */
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { Theme } from '@mui/material/styles';
import type { ComponentType, ReactNode } from 'react';
import { ArrayField, DataTable, RecordContextProvider, useRecordContext, useTranslate } from 'react-admin';

export interface FormTableColumn {
  source: string;
  label: string;
  /** How the value reads (in the item's record context); the plain value otherwise. */
  field?: ComponentType;
}

function Value({ column }: { column: FormTableColumn }) {
  const item = useRecordContext<Record<string, unknown>>();
  if (column.field) return <column.field />;
  const value = item?.[column.source];
  return <>{value === null || value === undefined || value === '' ? '—' : String(value)}</>;
}

function ItemCards({ source, columns, empty }: { source: string; columns: FormTableColumn[]; empty: ReactNode }) {
  const record = useRecordContext<Record<string, unknown>>();
  const translate = useTranslate();
  const items = (record?.[source] as Record<string, unknown>[] | undefined) ?? [];
  if (!items.length) return <>{empty}</>;
  const [title, ...rest] = columns;
  return (
    <Stack spacing={1} component="ol" sx={{ listStyle: 'none', p: 0, m: 0 }} data-testid={`form-cards-${source}`}>
      {items.map((item, i) => (
        <RecordContextProvider key={String(item.id ?? i)} value={item}>
          <Box component="li" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5, overflowWrap: 'anywhere' }}>
            <Typography variant="subtitle2" component="div">
              <Box component="span" sx={{ color: 'text.secondary', mr: 0.5 }}>
                {i + 1}.
              </Box>
              <Value column={title} />
            </Typography>
            {rest.length ? (
              <Box component="dl" sx={{ m: 0, mt: 0.5, display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr)', columnGap: 1.5, rowGap: 0.5 }}>
                {rest.map((c) => (
                  <Box key={c.source} sx={{ display: 'contents' }}>
                    <Typography component="dt" variant="body2" color="textSecondary" sx={{ whiteSpace: 'nowrap' }}>
                      {translate(c.label)}
                    </Typography>
                    <Typography component="dd" variant="body2" sx={{ m: 0, whiteSpace: 'pre-wrap' }}>
                      <Value column={c} />
                    </Typography>
                  </Box>
                ))}
              </Box>
            ) : null}
          </Box>
        </RecordContextProvider>
      ))}
    </Stack>
  );
}

// `source` and `label` are read by the tab's Labeled wrapper, which titles the part.
export function FormTable({ source, columns, empty }: { source: string; label?: string; columns: FormTableColumn[]; empty: ReactNode }) {
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  if (small) return <ItemCards source={source} columns={columns} empty={empty} />;
  return (
    <ArrayField source={source}>
      <DataTable bulkActionButtons={false} empty={empty}>
        {columns.map((c) => (
          <DataTable.Col key={c.source} source={c.source} label={c.label} field={c.field} />
        ))}
      </DataTable>
    </ArrayField>
  );
}
