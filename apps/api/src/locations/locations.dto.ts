import { ApiProperty, PartialType } from '@nestjs/swagger';
import { OfficeAddressDto } from '../enrollment/enrollment.dto';

export class AddOfficeDto extends OfficeAddressDto {}

export class UpdateOfficeDto extends PartialType(OfficeAddressDto) {}

export class OfficeDto extends OfficeAddressDto {
  @ApiProperty() id: string;
  @ApiProperty() isPrimary: boolean;
  @ApiProperty() createdAt: string;
}
