-- AlterTable
ALTER TABLE "Item" ADD COLUMN     "submittedDemonstrations" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "submittedRankings" INTEGER NOT NULL DEFAULT 0;

-- The counts follow every change to an Assignment row, whatever code (or person with psql) makes it.
CREATE FUNCTION "feedloop_item_submitted_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'SUBMITTED' AND OLD."targetId" = '' AND OLD.kind IN ('DEMONSTRATION', 'RANKING') THEN
    UPDATE "Item" SET
      "submittedDemonstrations" = "submittedDemonstrations" - (OLD.kind = 'DEMONSTRATION')::int,
      "submittedRankings" = "submittedRankings" - (OLD.kind = 'RANKING')::int
    WHERE id = OLD."itemId";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'SUBMITTED' AND NEW."targetId" = '' AND NEW.kind IN ('DEMONSTRATION', 'RANKING') THEN
    UPDATE "Item" SET
      "submittedDemonstrations" = "submittedDemonstrations" + (NEW.kind = 'DEMONSTRATION')::int,
      "submittedRankings" = "submittedRankings" + (NEW.kind = 'RANKING')::int
    WHERE id = NEW."itemId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Assignment_item_submitted_counts"
AFTER INSERT OR DELETE OR UPDATE OF status, kind, "itemId", "targetId" ON "Assignment"
FOR EACH ROW EXECUTE FUNCTION "feedloop_item_submitted_counts"();

-- Work submitted before this migration.
UPDATE "Item" i SET
  "submittedDemonstrations" = c.demonstrations,
  "submittedRankings" = c.rankings
FROM (
  SELECT "itemId",
    count(*) FILTER (WHERE kind = 'DEMONSTRATION') AS demonstrations,
    count(*) FILTER (WHERE kind = 'RANKING') AS rankings
  FROM "Assignment"
  WHERE status = 'SUBMITTED' AND "targetId" = ''
  GROUP BY "itemId"
) c
WHERE c."itemId" = i.id;
