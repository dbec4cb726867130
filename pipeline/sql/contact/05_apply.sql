-- 05 apply: what 03 and 04 computed, written in the reconciliation's second
-- transaction: the contact rows (the table is replaced whole: EM moves
-- every weight a little each night, so nearly every row changes), each
-- contact record's member in source_record, and what contacts say about
-- each member, where it changed (on a night of a few new files, a few
-- thousand of a million members).
DELETE FROM contact;
INSERT INTO contact (record_id, source_kind, outcome, member_id, weight, margin, candidates, activity_type, activity_day,
                     duplicate_of)
SELECT record_id, source_kind, outcome, member_id, weight, margin, candidates, activity_type, activity_day, duplicate_of
FROM contact_next;

UPDATE source_record SET member_id = c.member_id
FROM contact_next c
WHERE source_record.record_id = c.record_id AND source_record.member_id IS DISTINCT FROM c.member_id;

UPDATE member SET counsellor = mc.counsellor, counsellor_post = mc.counsellor_post, counsellor_phone = mc.counsellor_phone,
       last_activity_date = mc.last_activity, last_visit_date = mc.last_visit, last_contact_date = mc.last_contact,
       contact_flag = mc.contact_flag, activities_year = mc.activities, hours_year = mc.hours, visits_year = mc.visits
FROM member_contact mc
WHERE member.member_id = mc.member_id
  AND (member.counsellor IS DISTINCT FROM mc.counsellor OR member.counsellor_post IS DISTINCT FROM mc.counsellor_post
       OR member.counsellor_phone IS DISTINCT FROM mc.counsellor_phone
       OR member.last_activity_date IS DISTINCT FROM mc.last_activity OR member.last_visit_date IS DISTINCT FROM mc.last_visit
       OR member.last_contact_date IS DISTINCT FROM mc.last_contact OR member.contact_flag IS DISTINCT FROM mc.contact_flag
       OR member.activities_year IS DISTINCT FROM mc.activities OR member.hours_year IS DISTINCT FROM mc.hours
       OR member.visits_year IS DISTINCT FROM mc.visits);
