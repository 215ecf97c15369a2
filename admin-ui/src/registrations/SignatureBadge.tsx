/** The signature's verdict (GET /api/registrations/:id/signature) with the signed images. */
import GppBadIcon from '@mui/icons-material/GppBad';
import GppMaybeIcon from '@mui/icons-material/GppMaybe';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { HttpError, useRecordContext, useTranslate } from 'react-admin';
import { useAppDataProvider, useFormatDateTime } from '../common/fields';
import { ProtectedImage } from '../common/ProtectedImage';

export function SignatureBadge({ withImages = false }: { withImages?: boolean }) {
  const record = useRecordContext<{ id: string; signatureId: string | null; version: number; status: string }>();
  const dataProvider = useAppDataProvider();
  const translate = useTranslate();
  const format = useFormatDateTime();
  const { data, error, isPending } = useQuery({
    queryKey: ['registrations', 'signature', record?.id, record?.version, record?.status, record?.signatureId],
    queryFn: async () => {
      try {
        return await dataProvider.signature(String(record!.id));
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) return null;
        throw e;
      }
    },
    // Only a signed registration has a record to check (no expected 404s in the console).
    enabled: !!record?.signatureId && record.status !== 'draft',
  });
  if (!record) return null;
  // A returned registration is a draft again: whatever it carried is not a signature in force.
  if (!record.signatureId || record.status === 'draft') return <Chip size="small" variant="outlined" label={translate('app.verdict.none')} data-testid="signature-verdict" data-verdict="none" />;
  if (isPending) return null;
  if (error) return <Chip size="small" color="error" label={(error as Error).message} />;
  if (!data) return <Chip size="small" variant="outlined" label={translate('app.verdict.none')} data-testid="signature-verdict" data-verdict="none" />;
  const voided = !!data.record.voidedAt;
  const verdict = data.verdict;
  const color = verdict === 'valid' && !voided ? 'success' : verdict === 'invalid' ? 'error' : 'warning';
  const icon = verdict === 'valid' && !voided ? <VerifiedUserIcon /> : verdict === 'invalid' ? <GppBadIcon /> : <GppMaybeIcon />;
  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Chip color={color} icon={icon} label={translate(voided && verdict === 'valid' ? 'app.verdict.voided' : `app.verdict.${verdict}`)} data-testid="signature-verdict" data-verdict={verdict} />
        <Typography variant="caption" color="textSecondary">
          {translate('app.message.signed_by', { name: data.record.signerName ?? '', at: format(data.record.signedAt) })}
        </Typography>
      </Stack>
      {withImages ? (
        <Stack direction="row" spacing={2} sx={{mt: 1, alignItems: 'center' }}>
          <ProtectedImage path={`/files/${data.record.signatureFileId}`} alt={translate('resources.registrations.fields.principalSignature')} height={64} />
          <ProtectedImage path={`/files/${data.record.stampFileId}`} alt={translate('app.message.stamp')} height={96} />
        </Stack>
      ) : null}
    </Box>
  );
}
