-- 05 apply: what 03 and 04 computed, written in the reconciliation's second
-- transaction: the contact rows (the table is replaced whole: EM moves
-- every weight a little each night, so nearly every row changes), the
-- member of each contact record whose member changed, and the contact
-- columns of each member where they changed.
DELETE FROM contact;
INSERT INTO contact (record_id, source_kind, outcome, member_id, weight, margin, candidates, activity_type, activity_day,
                     duplicate_of)
SELECT record_id, source_kind, outcome, member_id, weight, margin, candidates, activity_type, activity_day, duplicate_of
FROM contact_next;

UPDATE source_record SET member_id = c.member_id
FROM contact_member_change c
WHERE source_record.record_id = c.record_id;

UPDATE member SET counsellor = mc.counsellor, counsellor_post = mc.counsellor_post, counsellor_phone = mc.counsellor_phone,
       last_activity_date = mc.last_activity, last_visit_date = mc.last_visit, last_contact_date = mc.last_contact,
       contact_flag = mc.contact_flag, activities_year = mc.activities, hours_year = mc.hours, visits_year = mc.visits
FROM member_contact_change mc
WHERE member.member_id = mc.member_id;
