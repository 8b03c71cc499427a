import { harness, gql, codes, type Harness, type GraphQLResponse } from './support/harness';
import { countWhere } from './support/fixtures';
import { createRouteWorld, day, gid, versionOf, type RouteCase, type RouteWorld } from './support/route-fixtures';

const SEND = `mutation($input: SendReferralInput!) {
  sendReferral(input: $input) {
    referral { id status reason notes sentAt respondBy overdue version fromAgency { id } toAgency { id } serviceType { code } offering { id } sentBy { id } }
    case { id version }
  }
}`;
const RESPOND = `mutation($input: RespondToReferralInput!) {
  respondToReferral(input: $input) {
    incomingReferral { id status declineReason responseNote version }
    referral { id status respondedAt responseNote version }
    case { id number }
  }
}`;
const COMPLETE = `mutation($input: CompleteReferralInput!) { completeReferral(input: $input) { referral { id status outcome completedAt version } case { id } } }`;
const CANCEL = `mutation($input: CancelReferralInput!) { cancelReferral(input: $input) { referral { id status version } case { id } } }`;
const INBOX = `query($status: [ReferralStatus!], $overdue: Boolean, $first: Int, $after: String) {
  referralsToMyAgency(status: $status, overdue: $overdue, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id caseNumber status reason overdue version fromAgency { id } serviceType { code } referral { id } case { id } }
  }
}`;
const CASE_REFERRALS = `query($id: ID!, $status: [ReferralStatus!], $openOnly: Boolean) {
  node(id: $id) { ... on Case { referrals(status: $status, openOnly: $openOnly) { id status overdue toAgency { id } } } }
}`;
const RECORD = `mutation($input: RecordServiceDeliveryInput!) { recordServiceDelivery(input: $input) { serviceDelivery { id } } }`;
const CASE_AS_TEAM = `query($id: ID!) {
  node(id: $id) { ... on Case { number services(first: 5) { nodes { recipient { firstName disability { status diagnosis } } } } referrals { id notes reason } } }
}`;

let h: Harness;
let w: RouteWorld;
beforeAll(async () => {
  h = await harness();
  w = await createRouteWorld(h);
});
afterAll(() => h.close());

const fields = (r: GraphQLResponse) => (r.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field).sort();
const errorPaths = (r: GraphQLResponse) => (r.errors ?? []).map((e) => `${e.extensions.code}@${(e.path ?? []).join('.')}`).sort();
const localId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

async function send(kase: RouteCase, input: Record<string, unknown> = {}, as = w.manager) {
  const expectedVersion = await versionOf(h.db, 'case', kase.caseId);
  return gql(h, SEND, { input: { case: kase.caseGlobalId, offering: w.ngoOffering.globalId, reason: 'Нужна помощь психолога матери', notes: 'Мать просила не звонить вечером', expectedVersion, ...input } }, as);
}

describe('the referral loop', () => {
  test('send → the receiver sees it in its inbox, not the case → accept → it joins the team and reads per its kind → complete', async () => {
    const kase = await w.createCase();
    // Something for the receiver to read once it is on the team: a service to the mother, recorded by the lead agency.
    await gql(h, RECORD, { input: { case: kase.caseGlobalId, recipient: gid('Person', kase.motherId), serviceType: w.consultation.code, deliveredOn: day(-2), deliveryMode: 'HOME' } }, w.leadSpecialist);

    const sent = await send(kase);
    expect(sent.errors).toBeUndefined();
    const referral = sent.data!.sendReferral.referral;
    expect(referral).toMatchObject({
      status: 'SENT',
      overdue: false,
      version: 1,
      fromAgency: { id: gid('Agency', w.manager.agency.id) },
      toAgency: { id: gid('Agency', w.ngo.agency.id) },
      serviceType: { code: w.consultation.code },
      offering: { id: w.ngoOffering.globalId },
      sentBy: { id: gid('StaffMember', w.manager.staff.id) },
      notes: 'Мать просила не звонить вечером',
    });
    // The default deadline is 5 working days: a week, give or take a weekend.
    const days = (Date.parse(referral.respondBy) - Date.parse(referral.sentAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(5);
    expect(days).toBeLessThanOrEqual(7);
    // Recording a service does not touch the case; sending a referral does.
    expect(sent.data!.sendReferral.case.version).toBe(2);

    const inbox = await gql(h, INBOX, { status: ['SENT'] }, w.ngo);
    expect(inbox.errors).toBeUndefined();
    const entry = inbox.data!.referralsToMyAgency.nodes.find((n: { id: string }) => n.id === referral.id);
    expect(entry).toMatchObject({ caseNumber: kase.number, status: 'SENT', reason: 'Нужна помощь психолога матери', referral: null, case: null, version: 1 });
    expect((await gql(h, CASE_AS_TEAM, { id: kase.caseGlobalId }, w.ngo)).data!.node).toBeNull();
    expect((await gql(h, `query($id: ID!) { node(id: $id) { id } }`, { id: referral.id }, w.ngo)).data!.node).toBeNull();

    const accepted = await gql(h, RESPOND, { input: { referral: referral.id, accept: true, note: 'Первая встреча 12.05 в 10:00', expectedVersion: 1 } }, w.ngo);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.respondToReferral).toMatchObject({
      incomingReferral: { status: 'ACCEPTED', responseNote: 'Первая встреча 12.05 в 10:00', version: 2 },
      referral: { id: referral.id, status: 'ACCEPTED', version: 2 },
      case: { id: kase.caseGlobalId, number: kase.number },
    });
    const [grant] = await h.db.query(`SELECT kind, source, source_id::text AS source_id, revoked_at FROM case_access_grant WHERE case_id = $1 AND agency_id = $2`, [kase.caseId, w.ngo.agency.id]);
    expect(grant).toEqual({ kind: 'REFERRAL', source: 'REFERRAL', source_id: localId(referral.id), revoked_at: null });

    // On the team now: identity yes; health no (an NGO); the sender's notes no.
    const asTeam = await gql(h, CASE_AS_TEAM, { id: kase.caseGlobalId }, w.ngo);
    expect(asTeam.data!.node.number).toBe(kase.number);
    expect(asTeam.data!.node.services.nodes[0].recipient.firstName).toBe(kase.motherFirstName);
    expect(asTeam.data!.node.services.nodes[0].recipient.disability).toEqual({ status: 'NONE', diagnosis: null });
    expect(asTeam.data!.node.referrals).toEqual([{ id: referral.id, notes: null, reason: 'Нужна помощь психолога матери' }]);
    expect(errorPaths(asTeam)).toEqual(['FORBIDDEN@node.referrals.0.notes', 'FORBIDDEN@node.services.nodes.0.recipient.disability.diagnosis']);
    // The case manager reads the notes.
    const asManager = await gql(h, CASE_AS_TEAM, { id: kase.caseGlobalId }, w.manager);
    expect(asManager.errors).toBeUndefined();
    expect(asManager.data!.node.referrals[0].notes).toBe('Мать просила не звонить вечером');

    const completed = await gql(h, COMPLETE, { input: { referral: referral.id, outcome: 'GOT_HELP', expectedVersion: 2 } }, w.ngo);
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeReferral.referral).toMatchObject({ status: 'COMPLETED', outcome: 'GOT_HELP', version: 3 });
    expect(completed.data!.completeReferral.referral.completedAt).toBeTruthy();
    // The loop is closed: nothing moves any more.
    expect(codes(await gql(h, CANCEL, { input: { referral: referral.id, expectedVersion: 3 } }, w.manager))).toEqual(['INVALID_TRANSITION']);
  });

  test('declining needs a reason; a declined referral gives no access', async () => {
    const kase = await w.createCase();
    const referral = (await send(kase)).data!.sendReferral.referral;
    const noReason = await gql(h, RESPOND, { input: { referral: referral.id, accept: false, expectedVersion: 1 } }, w.ngo);
    expect(codes(noReason)).toEqual(['BAD_USER_INPUT']);
    expect(fields(noReason)).toEqual(['input.declineReason']);
    expect(await versionOf(h.db, 'referral', localId(referral.id))).toBe(1);

    const declined = await gql(h, RESPOND, { input: { referral: referral.id, accept: false, declineReason: 'NO_CAPACITY', note: 'Нет мест до сентября', expectedVersion: 1 } }, w.ngo);
    expect(declined.errors).toBeUndefined();
    expect(declined.data!.respondToReferral).toEqual({
      incomingReferral: { id: referral.id, status: 'DECLINED', declineReason: 'NO_CAPACITY', responseNote: 'Нет мест до сентября', version: 2 },
      referral: null,
      case: null,
    });
    expect(await countWhere(h.db, 'case_access_grant', 'case_id = $1 AND agency_id = $2', [kase.caseId, w.ngo.agency.id])).toBe(0);
    expect(codes(await gql(h, RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 2 } }, w.ngo))).toEqual(['INVALID_TRANSITION']);
    const seen = await gql(h, CASE_REFERRALS, { id: kase.caseGlobalId }, w.manager);
    expect(seen.data!.node.referrals).toEqual([{ id: referral.id, status: 'DECLINED', overdue: false, toAgency: { id: gid('Agency', w.ngo.agency.id) } }]);
  });

  test('cancelling an accepted referral revokes its grant: the receiver no longer sees the case', async () => {
    const kase = await w.createCase();
    const referral = (await send(kase)).data!.sendReferral.referral;
    await gql(h, RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 1 } }, w.ngo);
    expect((await gql(h, CASE_AS_TEAM, { id: kase.caseGlobalId }, w.ngo)).data!.node.number).toBe(kase.number);

    const cancelled = await gql(h, CANCEL, { input: { referral: referral.id, expectedVersion: 2 } }, w.manager);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelReferral.referral).toMatchObject({ status: 'CANCELLED', version: 3 });
    const [grant] = await h.db.query(`SELECT revoked_at FROM case_access_grant WHERE source = 'REFERRAL' AND source_id = $1`, [localId(referral.id)]);
    expect(grant.revoked_at).toBeInstanceOf(Date);
    expect((await gql(h, CASE_AS_TEAM, { id: kase.caseGlobalId }, w.ngo)).data!.node).toBeNull();
    // The inbox keeps the envelope.
    const inbox = await gql(h, INBOX, { status: ['CANCELLED'] }, w.ngo);
    expect(inbox.data!.referralsToMyAgency.nodes.map((n: { id: string }) => n.id)).toContain(referral.id);
  });

  test('a referral past its deadline shows as overdue, in the case and in the inbox', async () => {
    const kase = await w.createCase();
    const [row] = await h.db.query(
      `INSERT INTO referral (case_id, from_agency_id, to_agency_id, status, reason, sent_at, respond_by)
       VALUES ($1, $2, $3, 'SENT', 'Просрочено', now() - interval '10 days', now() - interval '3 days') RETURNING id::text AS id`,
      [kase.caseId, w.manager.agency.id, w.ngo.agency.id],
    );
    const fresh = (await send(kase)).data!.sendReferral.referral;
    const inCase = await gql(h, CASE_REFERRALS, { id: kase.caseGlobalId }, w.coordinator);
    expect(inCase.errors).toBeUndefined();
    expect(inCase.data!.node.referrals.map((r: { id: string; overdue: boolean }) => [r.id, r.overdue])).toEqual([
      [fresh.id, false],
      [gid('Referral', row.id), true],
    ]);
    const overdue = await gql(h, INBOX, { overdue: true }, w.ngo);
    const ids = overdue.data!.referralsToMyAgency.nodes.map((n: { id: string }) => n.id);
    expect(ids).toContain(gid('Referral', row.id));
    expect(ids).not.toContain(fresh.id);
    expect(overdue.data!.referralsToMyAgency.nodes.every((n: { overdue: boolean }) => n.overdue)).toBe(true);

    // Filters of the case's list: open loops only, or by status.
    await gql(h, RESPOND, { input: { referral: fresh.id, accept: false, declineReason: 'OUT_OF_AREA', expectedVersion: 1 } }, w.ngo);
    const open = await gql(h, CASE_REFERRALS, { id: kase.caseGlobalId, openOnly: true }, w.manager);
    expect(open.data!.node.referrals.map((r: { id: string }) => r.id)).toEqual([gid('Referral', row.id)]);
    const declined = await gql(h, CASE_REFERRALS, { id: kase.caseGlobalId, status: ['DECLINED'] }, w.manager);
    expect(declined.data!.node.referrals.map((r: { id: string }) => r.id)).toEqual([fresh.id]);
  });

  test('the inbox pages in SQL and holds only what is addressed to the caller', async () => {
    const kase = await w.createCase();
    for (let i = 0; i < 3; i += 1) await send(kase);
    const first = await gql(h, INBOX, { first: 2 }, w.ngo);
    expect(first.data!.referralsToMyAgency.nodes).toHaveLength(2);
    expect(first.data!.referralsToMyAgency.pageInfo.hasNextPage).toBe(true);
    const rest = await gql(h, INBOX, { first: 100, after: first.data!.referralsToMyAgency.pageInfo.endCursor }, w.ngo);
    const all = [...first.data!.referralsToMyAgency.nodes, ...rest.data!.referralsToMyAgency.nodes].map((n: { id: string }) => n.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(first.data!.referralsToMyAgency.totalCount);
    // Another agency's inbox does not hold these.
    const other = await gql(h, INBOX, {}, w.education);
    expect(other.data!.referralsToMyAgency.totalCount).toBe(0);
  });
});

describe('who may move a referral', () => {
  test('only the case manager or coordinator sends; only the receiving agency answers; others are refused and nothing changes', async () => {
    const kase = await w.createCase();
    expect(codes(await send(kase, {}, w.health))).toEqual(['FORBIDDEN']);
    expect(codes(await send(kase, {}, w.otherManager))).toEqual(['FORBIDDEN']);
    // A coordinator of the region sends too (the policy table gives coordinators no NOTES on cases, even their own).
    expect(errorPaths(await send(kase, {}, w.coordinator))).toEqual(['FORBIDDEN@sendReferral.referral.notes']);
    const referral = (await send(kase)).data!.sendReferral.referral;
    // On the team, but not the addressee.
    expect(codes(await gql(h, RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 1 } }, w.education))).toEqual(['FORBIDDEN']);
    // Neither on the team nor the addressee: the referral does not exist for it.
    expect(codes(await gql(h, RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 1 } }, w.outsider))).toEqual(['NOT_FOUND']);
    // The receiver may not cancel what it did not send.
    expect(codes(await gql(h, CANCEL, { input: { referral: referral.id, expectedVersion: 1 } }, w.ngo))).toEqual(['FORBIDDEN']);
    // A SENT referral cannot be completed.
    expect(codes(await gql(h, COMPLETE, { input: { referral: referral.id, outcome: 'GOT_HELP', expectedVersion: 1 } }, w.manager))).toEqual(['INVALID_TRANSITION']);
    expect(await versionOf(h.db, 'referral', localId(referral.id))).toBe(1);
  });

  test('a stale referral version is a CONFLICT', async () => {
    const kase = await w.createCase();
    const referral = (await send(kase)).data!.sendReferral.referral;
    expect(codes(await gql(h, RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 4 } }, w.ngo))).toEqual(['CONFLICT']);
    expect(await countWhere(h.db, 'case_access_grant', 'case_id = $1 AND agency_id = $2', [kase.caseId, w.ngo.agency.id])).toBe(0);
    expect(codes(await send(kase, { expectedVersion: 1 }))).toEqual(['CONFLICT']);
  });

  test('bad input names every field and writes nothing', async () => {
    const kase = await w.createCase();
    const response = await send(kase, {
      offering: null,
      respondBy: new Date(Date.now() - 3_600_000).toISOString(),
      serviceType: 'NO_SUCH_TYPE',
      planStep: gid('PlanStep', '999999999'),
    });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(fields(response)).toEqual(['input.planStep', 'input.respondBy', 'input.serviceType', 'input.toAgency']);
    const own = await send(kase, { offering: null, toAgency: gid('Agency', w.manager.agency.id), reason: '' });
    expect(fields(own)).toEqual(['input.reason']);
    const ownAgency = await send(kase, { offering: null, toAgency: gid('Agency', w.manager.agency.id) });
    expect(fields(ownAgency)).toEqual(['input.toAgency']);
    expect(await countWhere(h.db, 'referral', 'case_id = $1', [kase.caseId])).toBe(0);
    expect(await versionOf(h.db, 'case', kase.caseId)).toBe(1);
  });

  test('a retry with the same idempotency key sends one referral', async () => {
    const kase = await w.createCase();
    const input = { case: kase.caseGlobalId, toAgency: gid('Agency', w.ngo.agency.id), reason: 'Повтор', expectedVersion: 1, idempotencyKey: `send-${kase.caseId}-once` };
    const first = await gql(h, SEND, { input }, w.manager);
    const second = await gql(h, SEND, { input }, w.manager);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(second.data!.sendReferral.referral.id).toBe(first.data!.sendReferral.referral.id);
    expect(await countWhere(h.db, 'referral', 'case_id = $1', [kase.caseId])).toBe(1);
  });
});

describe('the write mix (W4): answering a referral costs few statements, the same rules', () => {
  const W4_RESPOND = `mutation($input: RespondToReferralInput!) { respondToReferral(input: $input) { incomingReferral { id } } }`;
  const INBOX_VIEW = `mutation($input: RespondToReferralInput!) { respondToReferral(input: $input) { incomingReferral { id caseNumber status declineReason responseNote overdue version } } }`;

  test('accepting with the minimal selection costs at most 7 statements (was 11), declining at most 6 (was 10); grant and audit are written', async () => {
    const kase = await w.createCase();
    const first = (await send(kase)).data!.sendReferral.referral;
    const second = (await send(kase)).data!.sendReferral.referral;
    const accepted = await gql(h, W4_RESPOND, { input: { referral: first.id, accept: true, expectedVersion: 1, note: 'Принято.' } }, w.ngo);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.respondToReferral).toEqual({ incomingReferral: { id: first.id } });
    // The viewer, BEGIN, the referral, one UPDATE (version and answer), the grant, the audit, COMMIT.
    expect(accepted.sqlStatements).toBeLessThanOrEqual(7);
    const declined = await gql(h, W4_RESPOND, { input: { referral: second.id, accept: false, declineReason: 'NO_CAPACITY', expectedVersion: 1 } }, w.ngo);
    expect(declined.errors).toBeUndefined();
    expect(declined.sqlStatements).toBeLessThanOrEqual(6);

    const rows = await h.db.query(`SELECT id::text AS id, status, version, response_note, decline_reason FROM referral WHERE id = ANY($1::bigint[]) ORDER BY id`, [[localId(first.id), localId(second.id)]]);
    expect(rows).toEqual([
      { id: localId(first.id), status: 'ACCEPTED', version: 2, response_note: 'Принято.', decline_reason: null },
      { id: localId(second.id), status: 'DECLINED', version: 2, response_note: null, decline_reason: 'NO_CAPACITY' },
    ]);
    expect(await countWhere(h.db, 'case_access_grant', `case_id = $1 AND agency_id = $2 AND kind = 'REFERRAL' AND source_id = $3`, [kase.caseId, w.ngo.agency.id, localId(first.id)])).toBe(1);
    expect(await countWhere(h.db, 'audit_event', `action = 'WRITE' AND record_type = 'Referral' AND case_id = $1 AND 'respondedAt' = ANY(fields)`, [kase.caseId])).toBe(2);
    expect(await countWhere(h.db, 'audit_event', `action = 'WRITE' AND record_type = 'CaseParticipant' AND case_id = $1`, [kase.caseId])).toBe(1);
  });

  test('the inbox view in the payload is the referral as answered', async () => {
    const kase = await w.createCase();
    const referral = (await send(kase)).data!.sendReferral.referral;
    const declined = await gql(h, INBOX_VIEW, { input: { referral: referral.id, accept: false, declineReason: 'OUT_OF_AREA', note: 'Не наш район', expectedVersion: 1 } }, w.ngo);
    expect(declined.errors).toBeUndefined();
    expect(declined.data!.respondToReferral.incomingReferral).toEqual({
      id: referral.id,
      caseNumber: kase.number,
      status: 'DECLINED',
      declineReason: 'OUT_OF_AREA',
      responseNote: 'Не наш район',
      overdue: false,
      version: 2,
    });
  });

  test('bad input names the field and changes nothing; a caller on the team but not the addressee is FORBIDDEN; a stale version conflicts', async () => {
    const kase = await w.createCase();
    const referral = (await send(kase)).data!.sendReferral.referral;
    const both = await gql(h, W4_RESPOND, { input: { referral: referral.id, accept: true, declineReason: 'NO_CAPACITY', expectedVersion: 1 } }, w.ngo);
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
    expect(fields(both)).toEqual(['input.declineReason']);
    expect(codes(await gql(h, W4_RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 1 } }, w.education))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(h, W4_RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 1 } }, w.outsider))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(h, W4_RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 3 } }, w.ngo))).toEqual(['CONFLICT']);
    const [row] = await h.db.query(`SELECT status, version, responded_at FROM referral WHERE id = $1`, [localId(referral.id)]);
    expect(row).toEqual({ status: 'SENT', version: 1, responded_at: null });
    expect(await countWhere(h.db, 'case_access_grant', 'case_id = $1 AND agency_id = $2', [kase.caseId, w.ngo.agency.id])).toBe(0);
    expect(await countWhere(h.db, 'audit_event', `action = 'WRITE' AND record_type = 'Referral' AND case_id = $1 AND 'respondedAt' = ANY(fields)`, [kase.caseId])).toBe(0);
  });

  test('a referral of a closed case can only be declined', async () => {
    const kase = await w.createCase();
    const referral = (await send(kase)).data!.sendReferral.referral;
    await h.db.query(`UPDATE "case" SET status = 'CLOSED', closed_on = current_date WHERE id = $1`, [kase.caseId]);
    expect(codes(await gql(h, W4_RESPOND, { input: { referral: referral.id, accept: true, expectedVersion: 1 } }, w.ngo))).toEqual(['INVALID_TRANSITION']);
    expect(await versionOf(h.db, 'referral', localId(referral.id))).toBe(1);
    expect((await gql(h, W4_RESPOND, { input: { referral: referral.id, accept: false, declineReason: 'NO_CAPACITY', expectedVersion: 1 } }, w.ngo)).errors).toBeUndefined();
  });
});
