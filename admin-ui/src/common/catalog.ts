import { useGetList } from 'react-admin';

export interface PartyType {
  id: string;
  code: string;
  category: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
  duties: { code: string; seq: number; textZh: string }[];
}

export const PARTY_CATEGORIES = ['government', 'department', 'school', 'family', 'community', 'social_resource'] as const;

/** The responsibility catalog (GET /api/party-types), cached by react-query for the session. */
export function usePartyTypes() {
  const { data, isPending, error } = useGetList<PartyType>(
    'party-types',
    { pagination: { page: 1, perPage: 200 }, sort: { field: 'sortOrder', order: 'ASC' } },
    { staleTime: 10 * 60 * 1000 },
  );
  return { partyTypes: data ?? [], isPending, error };
}

export interface FormFieldDefinition {
  id: number;
  key: string;
  labelZh: string;
  labelEn: string;
  type: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'boolean';
  required: boolean;
  options: { value: string; labelZh: string; labelEn: string }[];
  position: number;
  active: boolean;
}

/** The administrator-defined extra fields of the form (GET /api/form-fields), active ones in order. */
export function useFormFields() {
  const { data, isPending } = useGetList<FormFieldDefinition>('form-fields', {
    pagination: { page: 1, perPage: 200 },
    sort: { field: 'position', order: 'ASC' },
    filter: { active: true },
  });
  return { fields: data ?? [], isPending };
}
