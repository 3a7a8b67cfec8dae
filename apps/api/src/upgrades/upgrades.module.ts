import { Module } from '@nestjs/common';
import { PointsModule } from '../points/points.module';
import { UpgradesController } from './upgrades.controller';
import { UpgradesService } from './upgrades.service';

@Module({ imports: [PointsModule], controllers: [UpgradesController], providers: [UpgradesService] })
export class UpgradesModule {}
