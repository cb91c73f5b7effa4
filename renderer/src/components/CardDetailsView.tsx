import { Alert, Anchor, Button, Divider, Group, Kbd, Paper, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import {
  IconArrowsExchange,
  IconBan,
  IconCircleCheck,
  IconCoins,
  IconMail,
  IconPackage,
  IconPoint,
  IconReceipt,
  IconWallet,
} from '@tabler/icons-react';
import { maskClaimCode } from '../../../shared/claimCode';
import { marketplaces } from '../../../shared/marketplaces';
import { formatSerial } from '../../../shared/serial';
import type { CardDetails } from '../../../shared/types';
import { formatDate, formatDateTime, money } from '../format';
import { AuditTrailLink } from './audit/AuditTrailLink';
import { Field } from './Field';
import { RevealableValue } from './reveal/RevealableValue';
import { unlockCountText } from './recovery/unlockCount';
import { StatusBadge } from './StatusBadge';

const eventIcons: Record<string, typeof IconPoint> = {
  issued: IconReceipt,
  replacement: IconReceipt,
  delivered: IconMail,
  redeemed: IconWallet,
  voided: IconBan,
  replaced: IconArrowsExchange,
};

interface CardDetailsViewProps {
  card: CardDetails;
  onOpenSerial(serial: string): void;
  /** Shown when the user may open the Balance screen. */
  onCheckBalance?: (() => void) | undefined;
}

export function CardDetailsView({ card, onOpenSerial, onCheckBalance }: CardDetailsViewProps) {
  const mk = marketplaces[card.marketplace];
  const subject = { subjectType: 'card', subjectId: card.serial, subjectLabel: `card ${formatSerial(card.serial)}` } as const;
  return (
    <Paper withBorder shadow="xs" p="lg" radius="lg" component="section" aria-label={`Card ${formatSerial(card.serial)}`}>
      <Group justify="space-between" align="flex-start" mb="md">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
            Gift card
          </Text>
          <Title order={2} className="serial" fz={26}>
            {formatSerial(card.serial)}
          </Title>
        </div>
        <Group gap="sm">
          <AuditTrailLink subject={card.serial} name={`card ${formatSerial(card.serial)}`} />
          {onCheckBalance && (
            <Button
              variant="light"
              size="xs"
              leftSection={<IconCoins size={16} aria-hidden />}
              rightSection={
                <Kbd size="xs" aria-hidden>
                  Alt+B
                </Kbd>
              }
              onClick={onCheckBalance}
              aria-keyshortcuts="Alt+B"
            >
              Check balance
            </Button>
          )}
          <StatusBadge status={card.status} />
        </Group>
      </Group>

      {card.redemption && (
        <Alert color="blue" variant="light" icon={<IconCircleCheck aria-hidden />} mb="md" title="Redeemed" role="note">
          Redeemed on {formatDateTime(card.redemption.redeemedAt)} to account{' '}
          <Text span fw={600}>
            {card.redemption.accountId}
          </Text>{' '}
          ({card.redemption.accountName}).
        </Alert>
      )}
      {card.status === 'void' && (
        <Alert color="red" variant="light" icon={<IconBan aria-hidden />} mb="md" title="Void" role="note">
          This card was cancelled and has no value.
          {card.replacedBySerial && (
            <>
              {' '}
              It was replaced by{' '}
              <Anchor component="button" className="serial" onClick={() => onOpenSerial(card.replacedBySerial!)}>
                {formatSerial(card.replacedBySerial)}
              </Anchor>
              .
            </>
          )}
        </Alert>
      )}
      {card.recoveryLockedAt && (
        <Alert color="orange" variant="light" icon={<IconBan aria-hidden />} mb="md" title="Recovery locked" role="note">
          Damaged-code recovery for this card has been locked since {formatDateTime(card.recoveryLockedAt)} after repeated
          failed checks. A supervisor can unlock it on the Recovery screen.
        </Alert>
      )}
      {card.replacesSerial && (
        <Alert color="gray" variant="light" icon={<IconArrowsExchange aria-hidden />} mb="md" title="Replacement card" role="note">
          Replacement for card{' '}
          <Anchor component="button" className="serial" onClick={() => onOpenSerial(card.replacesSerial!)}>
            {formatSerial(card.replacesSerial)}
          </Anchor>
          .
        </Alert>
      )}

      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="lg" verticalSpacing="md">
        <Field label="Marketplace">
          {mk.name} ({card.marketplace}) · {card.currency}
        </Field>
        <Field label="Face value">{money(card.faceValueMinor, card.currency, card.marketplace)}</Field>
        <Field label="Remaining value">{money(card.remainingValueMinor, card.currency, card.marketplace)}</Field>
        <Field label="Claim code" mono>
          {maskClaimCode(card.claimCodeLast4)}
        </Field>
        <Field label="Delivery">
          <Group gap={6} component="span" wrap="nowrap">
            {card.deliveryChannel === 'email' ? <IconMail size={16} aria-hidden /> : <IconPackage size={16} aria-hidden />}
            {card.deliveryChannel === 'email' ? 'E-mail' : 'Physical card'}
          </Group>
        </Field>
        <Field label="Order date">{formatDate(card.orderDate)}</Field>
        <Field label="Purchaser">
          <RevealableValue key={`${card.serial}-p`} field="purchaserName" masked={card.purchaserName} {...subject} />
        </Field>
        <Field label="Recipient">
          <RevealableValue key={`${card.serial}-r`} field="recipientName" masked={card.recipientName} {...subject} />
        </Field>
        <Field label="Recovery unlocks">{unlockCountText(card.recoveryUnlockCount)}</Field>
      </SimpleGrid>
      <SimpleGrid cols={1} mt="md">
        <Field label={card.deliveryChannel === 'email' ? 'Delivery e-mail' : 'Delivery address'}>
          <RevealableValue
            key={`${card.serial}-d`}
            field={card.deliveryChannel === 'email' ? 'deliveryEmail' : 'shippingAddress'}
            masked={card.deliveryAddress}
            {...subject}
          />
        </Field>
      </SimpleGrid>

      <Divider my="lg" />
      <Stack gap="sm">
        <Title order={3} fz="md">
          Timeline
        </Title>
        <Timeline bulletSize={26} lineWidth={2} active={card.events.length - 1} aria-label="Card timeline">
          {card.events.map((event) => {
            const Icon = eventIcons[event.type] ?? IconPoint;
            return (
              <Timeline.Item key={event.id} bullet={<Icon size={14} aria-hidden />} title={event.summary}>
                <Text size="xs" c="dimmed">
                  {formatDateTime(event.at)}
                  {event.actor ? ` · ${event.actor}` : ''}
                  {event.ticketId ? ` · ticket ${event.ticketId}` : ''}
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      </Stack>
    </Paper>
  );
}
