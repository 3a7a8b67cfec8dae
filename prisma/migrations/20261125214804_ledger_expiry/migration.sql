-- CreateIndex
CREATE INDEX "PointEntry_correctsEntryId_idx" ON "PointEntry"("correctsEntryId");

