import { ScrollArea, Table, Text } from '@mantine/core';
import type { Marketplace } from '../../../shared/marketplaces';
import type { Currency } from '../../../shared/money';
import { formatSerial } from '../../../shared/serial';
import type { LedgerEntryType, LedgerEntryView } from '../../../shared/types';
import { formatDateTime, money } from '../format';

const typeLabels: Record<LedgerEntryType, string> = {
  redemption: 'Redemption',
  manual_credit: 'Manual credit',
  recovery_credit: 'Recovery credit',
};

/** An account's ledger entries, newest first (every page loaded so far). */
export function LedgerTable({ entries, currency, marketplace }: { entries: LedgerEntryView[]; currency: Currency; marketplace: Marketplace }) {
  return (
    <>
      {/* Focusable so a ledger wider than the window scrolls from the keyboard. */}
      <ScrollArea viewportProps={{ tabIndex: 0 }}>
        <Table striped aria-label="Ledger" fz="sm" miw={800}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Balance after</Table.Th>
              <Table.Th>Card</Table.Th>
              <Table.Th>Ticket</Table.Th>
              <Table.Th>By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
                <Table.Td>
                  {typeLabels[entry.type] ?? entry.type}
                  {entry.reason ? ` · ${entry.reason}` : ''}
                </Table.Td>
                <Table.Td ta="right" c="green" fw={600}>
                  +{money(entry.amountMinor, currency, marketplace)}
                </Table.Td>
                <Table.Td ta="right">{money(entry.balanceAfterMinor, currency, marketplace)}</Table.Td>
                <Table.Td className="serial">{entry.cardSerial ? formatSerial(entry.cardSerial) : ''}</Table.Td>
                <Table.Td>{entry.ticketId ?? ''}</Table.Td>
                <Table.Td>{entry.actor ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {entries.length === 0 && (
        <Text c="dimmed" ta="center" py="md">
          No ledger entries yet.
        </Text>
      )}
    </>
  );
}
