import AddIcon from '@mui/icons-material/Add';
import type { ButtonProps } from '@mui/material/Button';
import { useSimpleFormIterator } from 'react-admin';
import { ActionButton } from './ActionButton';

/** The add button of a repeated part of a form, labelled 添加 (not a bare ⊕ icon). */
export function AddItemButton(props: Omit<ButtonProps, 'children'>) {
  const { add, source } = useSimpleFormIterator();
  return <ActionButton label="ra.action.add" icon={<AddIcon />} variant="outlined" className={`button-add button-add-${source}`} {...props} onClick={() => add()} />;
}
