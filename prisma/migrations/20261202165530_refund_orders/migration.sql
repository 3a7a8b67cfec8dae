-- CreateTable
CREATE TABLE "RefundOrder" (
    "id" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "paymentId" UUID NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "refundReference" TEXT,
    "orderedAt" TIMESTAMP(3) NOT NULL,
    "bookedAt" TIMESTAMP(3),

    CONSTRAINT "RefundOrder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RefundOrder_idempotencyKey_key" ON "RefundOrder"("idempotencyKey");

-- CreateIndex
CREATE INDEX "RefundOrder_paymentId_idx" ON "RefundOrder"("paymentId");

