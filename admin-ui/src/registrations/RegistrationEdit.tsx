import { Edit } from 'react-admin';
import { RegistrationTitle } from './RegistrationTitle';
import { RegistrationInputs, toRegistrationPayload } from './RegistrationInputs';

// Pessimistic: the server's field errors (400 {errors}) land under their inputs, and a stale
// version (409) is reported instead of silently undone.
export const RegistrationEdit = () => (
  <Edit mutationMode="pessimistic" redirect="show" transform={toRegistrationPayload} title={<RegistrationTitle />}>
    <RegistrationInputs />
  </Edit>
);
