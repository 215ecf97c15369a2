import { Create } from 'react-admin';
import { RegistrationInputs, toRegistrationPayload } from './RegistrationInputs';

export const RegistrationCreate = () => (
  <Create redirect="show" transform={toRegistrationPayload}>
    <RegistrationInputs />
  </Create>
);
