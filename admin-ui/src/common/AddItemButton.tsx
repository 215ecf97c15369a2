import AddIcon from '@mui/icons-material/Add';
import type { ButtonProps } from '@mui/material/Button';
import { ActionButton } from './ActionButton';

/** The add button of a repeated part of a form, labelled 添加 (not a bare ⊕). SimpleFormIterator gives it its onClick. */
export const AddItemButton = (props: Omit<ButtonProps, 'children'>) => <ActionButton label="ra.action.add" icon={<AddIcon />} variant="outlined" {...props} />;
